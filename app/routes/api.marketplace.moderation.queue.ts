// GET /api/marketplace/moderation/queue: open reports with their listings, and the featured and unpublished listings.
// Instance admins only (403 for everyone else, whatever their workspace role). docs/decisions/071.
import { apiHandler } from '../lib/api-route.server';
import { moderationQueue } from '../lib/marketplace-reviews.server';

const handle = apiHandler('/api/marketplace/moderation/queue', {
  GET: async ({ caller }) => moderationQueue(caller),
});

export const loader = handle;
export const action = handle;
