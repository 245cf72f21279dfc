// POST /api/marketplace/listings/:id/reports { reason: malicious|broken|spam|inappropriate|other, text }: reports a
// listing the caller can see to the moderators; one open report per user per listing (409). docs/decisions/071.
import { apiHandler } from '../lib/api-route.server';
import { readJsonWith } from '../lib/http.server';
import { reportBody, reportListing } from '../lib/marketplace-reviews.server';

const handle = apiHandler('/api/marketplace/listings/:id/reports', {
  POST: async ({ request, params, caller }) =>
    reportListing(caller, params.id ?? '', await readJsonWith(request, reportBody, 64 * 1024)),
});

export const loader = handle;
export const action = handle;
