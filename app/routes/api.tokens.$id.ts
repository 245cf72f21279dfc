// DELETE /api/tokens/:id: revokes one of the caller's API tokens; using it afterwards answers 401 "revoked".
import { apiHandler } from '../lib/api-route.server';
import { json } from '../lib/http.server';
import { revokeToken } from '../lib/account.server';

const handle = apiHandler('/api/tokens/:id', {
  DELETE: async ({ params, caller, ip }) => json({ token: await revokeToken({ caller, ip }, params.id!) }),
});

export const loader = handle;
export const action = handle;
