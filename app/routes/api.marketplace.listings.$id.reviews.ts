// GET /api/marketplace/listings/:id/reviews?after=<cursor>: the rating summary, a page of reviews newest first, and
// the viewer's own review, open report and whether they moderate. PUT { rating, text, version? }: writes the caller's
// review (one per user per listing; 201 first, 200 on edit). DELETE: removes the caller's review, or with
// ?author=<userId> someone else's (moderators only). docs/decisions/071.
import { apiHandler } from '../lib/api-route.server';
import { readJsonWith } from '../lib/http.server';
import { readReviews, removeReview, reviewBody, writeReview } from '../lib/marketplace-reviews.server';

const REVIEW_BODY_LIMIT = 64 * 1024;

const handle = apiHandler('/api/marketplace/listings/:id/reviews', {
  GET: async ({ request, params, caller }) => readReviews(caller, params.id ?? '', new URL(request.url)),
  PUT: async ({ request, params, caller }) =>
    writeReview(caller, params.id ?? '', await readJsonWith(request, reviewBody, REVIEW_BODY_LIMIT)),
  DELETE: async ({ request, params, caller, ip }) =>
    removeReview({ caller, ip }, params.id ?? '', new URL(request.url)),
});

export const loader = handle;
export const action = handle;
