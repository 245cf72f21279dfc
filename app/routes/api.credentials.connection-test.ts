// POST /api/credentials/connection-test { type, values }: runs a type's connection test on values not saved yet
// (the create form). Answers { ok, message }, with every secret value replaced by `[secret]` in the message.
import { credentialType } from '../../nodes/credentials/index';
import { testCredential } from '../../nodes/credentials/test-connection';
import { apiHandler } from '../lib/api-route.server';
import { testBody } from '../lib/credential-api.server';
import { apiError, json, readJsonWith } from '../lib/http.server';

const handle = apiHandler('/api/credentials/connection-test', {
  POST: async ({ request }) => {
    const body = await readJsonWith(request, testBody);
    const type = credentialType(body.type);
    if (!type) return apiError(400, `Invalid request: type: unknown credential type "${body.type}".`);
    return json(await testCredential(type, body.values, { signal: request.signal }));
  },
});

export const loader = handle;
export const action = handle;
