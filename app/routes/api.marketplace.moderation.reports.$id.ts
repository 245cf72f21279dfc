// POST /api/marketplace/moderation/reports/:id { decision: resolve|dismiss, note }: closes an open report (409 when it
// is closed already), audit-logged. Instance admins only. docs/decisions/071.
import { apiHandler } from '../lib/api-route.server';
import { readJsonWith } from '../lib/http.server';
import { decideListingReport, decisionBody } from '../lib/marketplace-reviews.server';

const handle = apiHandler('/api/marketplace/moderation/reports/:id', {
  POST: async ({ request, params, caller, ip }) =>
    decideListingReport({ caller, ip }, params.id ?? '', await readJsonWith(request, decisionBody, 16 * 1024)),
});

export const loader = handle;
export const action = handle;
