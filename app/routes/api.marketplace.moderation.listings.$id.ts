// POST /api/marketplace/moderation/listings/:id { action: unpublish|republish|feature|unfeature }: a moderator's action
// on any listing, audit-logged. Instance admins only. docs/decisions/071.
import { apiHandler } from '../lib/api-route.server';
import { readJsonWith } from '../lib/http.server';
import { moderateListing, moderationBody } from '../lib/marketplace-reviews.server';

const handle = apiHandler('/api/marketplace/moderation/listings/:id', {
  POST: async ({ request, params, caller, ip }) =>
    moderateListing({ caller, ip }, params.id ?? '', await readJsonWith(request, moderationBody, 4096)),
});

export const loader = handle;
export const action = handle;
