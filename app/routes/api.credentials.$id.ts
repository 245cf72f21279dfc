// GET /api/credentials/:id: one credential (secret fields say only `set` or `empty`) and the workflows using it.
// PATCH (or PUT) { name?, values?, clear? }: changes it; a blank secret keeps the stored value. DELETE: refused
// with 409 and the workflows using it unless `?force=1`. Another workspace's credential is a 404.
import { CredentialError, deleteCredential, getCredential, updateCredential } from '../../db/credentials';
import { credentialUsers } from '../../db/credential-usage';
import { apiHandler } from '../lib/api-route.server';
import { auditCredential, credentialFailure, credentialJson, notFound, updateBody } from '../lib/credential-api.server';
import { apiError, json, readJsonWith } from '../lib/http.server';
import type { Caller } from '../lib/caller.server';

async function update({
  request,
  params,
  caller,
  ip,
}: {
  request: Request;
  params: { id?: string };
  caller: Caller;
  ip: string;
}) {
  const body = await readJsonWith(request, updateBody);
  try {
    const credential = await updateCredential(caller.scope, params.id!, body);
    if (!credential) return notFound(params.id);
    const changed = Object.entries(body.values ?? {})
      .filter(([, value]) => value !== '' && value !== undefined)
      .map(([field]) => field);
    await auditCredential(caller, ip, 'credential.update', credential, {
      ...(body.name !== undefined ? { name: credential.name } : {}),
      fields: changed,
      ...(body.clear?.length ? { cleared: body.clear } : {}),
    });
    const users = await credentialUsers(caller.scope);
    return json({ credential: credentialJson(credential, users.get(credential.id)) });
  } catch (err) {
    if (err instanceof CredentialError) return credentialFailure(err);
    throw err;
  }
}

const handle = apiHandler('/api/credentials/:id', {
  GET: async ({ params, caller }) => {
    const credential = await getCredential(caller.scope, params.id!);
    if (!credential) return notFound(params.id);
    const users = await credentialUsers(caller.scope);
    return json({ credential: credentialJson(credential, users.get(credential.id)) });
  },
  PATCH: update,
  PUT: update,
  DELETE: async ({ request, params, caller, ip }) => {
    const credential = await getCredential(caller.scope, params.id!);
    if (!credential) return notFound(params.id);
    const usedBy = (await credentialUsers(caller.scope)).get(credential.id) ?? [];
    const force = new URL(request.url).searchParams.get('force') === '1';
    if (usedBy.length > 0 && !force) {
      const names = usedBy.map((u) => `"${u.workflowName}"`).join(', ');
      return apiError(
        409,
        `Credential "${credential.name}" is used by ${usedBy.length} workflow${usedBy.length === 1 ? '' : 's'} ` +
          `(${names}); they fail when they run without it. Delete with ?force=1 to delete it anyway.`,
        undefined,
        { usedBy },
      );
    }
    if (!(await deleteCredential(caller.scope, credential.id))) return notFound(params.id);
    await auditCredential(caller, ip, 'credential.delete', credential, {
      ...(usedBy.length ? { force: true, usedBy: usedBy.map((u) => u.workflowId) } : {}),
    });
    return json({ deleted: true, id: credential.id });
  },
});

export const loader = handle;
export const action = handle;
