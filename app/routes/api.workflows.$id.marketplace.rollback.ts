// POST /api/workflows/:id/marketplace/rollback: restores the draft and the listing version from before the last
// marketplace update of the workflow (docs/decisions/069).
import { apiHandler } from '../lib/api-route.server';
import { marketplaceAnswer, rollbackUpdate } from '../lib/marketplace-update.server';

const handle = apiHandler('/api/workflows/:id/marketplace/rollback', {
  POST: async ({ params, caller }) => marketplaceAnswer(() => rollbackUpdate(caller, params.id ?? '')),
});

export const loader = handle;
export const action = handle;
