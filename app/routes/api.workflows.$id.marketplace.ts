// GET /api/workflows/:id/marketplace: { listingId, listingTitle, installedVersion, latestVersion, hasUpdate,
// rollbackTo } for a workflow installed from the marketplace; null fields for any other (docs/decisions/069).
import { apiHandler } from '../lib/api-route.server';
import { marketplaceAnswer, marketplaceStatus } from '../lib/marketplace-update.server';

const handle = apiHandler('/api/workflows/:id/marketplace', {
  GET: async ({ params, caller }) => marketplaceAnswer(() => marketplaceStatus(caller, params.id ?? '')),
});

export const loader = handle;
export const action = handle;
