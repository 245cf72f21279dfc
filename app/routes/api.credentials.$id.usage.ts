// GET /api/credentials/:id/usage: the workflows whose draft or published version uses the credential, and where.
import { getCredential } from '../../db/credentials';
import { credentialUsers } from '../../db/credential-usage';
import { apiHandler } from '../lib/api-route.server';
import { notFound } from '../lib/credential-api.server';
import { json } from '../lib/http.server';

const handle = apiHandler('/api/credentials/:id/usage', {
  GET: async ({ params, caller }) => {
    const credential = await getCredential(caller.scope, params.id!);
    if (!credential) return notFound(params.id);
    return json({ usedBy: (await credentialUsers(caller.scope)).get(credential.id) ?? [] });
  },
});

export const loader = handle;
export const action = handle;
