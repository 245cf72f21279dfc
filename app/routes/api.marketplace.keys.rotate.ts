// POST /api/marketplace/keys/rotate: a new active signing key; the old one is retired and still verifies.
import { apiHandler } from '../lib/api-route.server';
import { rotateWorkspaceKey } from '../lib/marketplace.server';

const handle = apiHandler('/api/marketplace/keys/rotate', {
  POST: async ({ caller }) => rotateWorkspaceKey(caller),
});

export const loader = handle;
export const action = handle;
