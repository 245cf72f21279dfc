// GET /api/marketplace/keys: the workspace's listing signing keys (public halves and status); the first read makes
// the active key.
import { apiHandler } from '../lib/api-route.server';
import { workspaceKeys } from '../lib/marketplace.server';

const handle = apiHandler('/api/marketplace/keys', {
  GET: async ({ caller }) => workspaceKeys(caller),
});

export const loader = handle;
export const action = handle;
