// POST /api/credentials/:id/connection-test { values? }: runs the type's connection test with the stored values,
// changed by `values` where given (a blank secret keeps the stored one), so a form can be tested before it is
// saved. Answers { ok, message }, with every secret value replaced by `[secret]` in the message.
import { CredentialError, decryptCredential, getCredential } from '../../db/credentials';
import { SECRET_IN_PLAN } from '../../nodes/define';
import { secretFieldNames } from '../../nodes/credentials/define';
import { credentialType } from '../../nodes/credentials/index';
import { testCredential } from '../../nodes/credentials/test-connection';
import { apiHandler } from '../lib/api-route.server';
import { credentialFailure, notFound, testStoredBody } from '../lib/credential-api.server';
import { apiError, json, parseWith, readJson } from '../lib/http.server';

const handle = apiHandler('/api/credentials/:id/connection-test', {
  POST: async ({ request, params, caller }) => {
    const body = parseWith(testStoredBody, await readJson(request, undefined, { optional: true }));
    if (!(await getCredential(caller.scope, params.id!))) return notFound(params.id);
    const stored = await decryptCredential(caller.scope.workspaceId, params.id!).catch((err: unknown) => {
      throw err instanceof CredentialError ? credentialFailure(err) : err;
    });
    const type = credentialType(stored.type);
    if (!type) return apiError(400, `Credential type "${stored.type}" is not known to this Baton.`);
    const secret = new Set(secretFieldNames(type));
    const values = { ...stored.values };
    for (const [field, value] of Object.entries(body.values ?? {})) {
      if (secret.has(field) && (value === '' || value === undefined || value === SECRET_IN_PLAN)) continue;
      values[field] = value;
    }
    return json(await testCredential(type, values, { signal: request.signal }));
  },
});

export const loader = handle;
export const action = handle;
