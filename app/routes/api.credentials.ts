// GET /api/credentials[?type=a,b]: the workspace's credentials (never their secrets), each with the workflows using
// it. POST /api/credentials { name, type, values }: creates one; fields are checked by type and named when wrong.
import { createCredential, CredentialError, listCredentials } from '../../db/credentials';
import { credentialUsers } from '../../db/credential-usage';
import { apiHandler } from '../lib/api-route.server';
import { auditCredential, createBody, credentialFailure, credentialJson } from '../lib/credential-api.server';
import { json, readJsonWith } from '../lib/http.server';

const handle = apiHandler('/api/credentials', {
  GET: async ({ request, caller }) => {
    const types = new URL(request.url).searchParams.get('type')?.split(',').filter(Boolean);
    const [all, users] = await Promise.all([listCredentials(caller.scope), credentialUsers(caller.scope)]);
    const credentials = all
      .filter((c) => !types || types.includes(c.type))
      .map((c) => credentialJson(c, users.get(c.id)));
    return json({ credentials });
  },
  POST: async ({ request, caller, ip }) => {
    const body = await readJsonWith(request, createBody);
    try {
      const credential = await createCredential(caller.scope, body);
      await auditCredential(caller, ip, 'credential.create', credential, { fields: Object.keys(body.values) });
      return json({ credential: credentialJson(credential) }, 201);
    } catch (err) {
      if (err instanceof CredentialError) return credentialFailure(err);
      throw err;
    }
  },
});

export const loader = handle;
export const action = handle;
