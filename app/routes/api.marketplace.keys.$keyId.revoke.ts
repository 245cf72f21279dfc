// POST /api/marketplace/keys/:keyId/revoke: revokes a signing key of the workspace; what it signed is refused.
import { apiHandler } from '../lib/api-route.server';
import { revokeWorkspaceKey } from '../lib/marketplace.server';

const handle = apiHandler('/api/marketplace/keys/:keyId/revoke', {
  POST: async ({ params, caller }) => revokeWorkspaceKey(caller, params.keyId ?? ''),
});

export const loader = handle;
export const action = handle;
