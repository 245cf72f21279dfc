// GET /api/marketplace/listings/:id: a listing the caller may see, with its versions (changelog, manifest, graph,
// signer key id and whether each signature verifies now).
import { apiHandler } from '../lib/api-route.server';
import { readListing } from '../lib/marketplace.server';

const handle = apiHandler('/api/marketplace/listings/:id', {
  GET: async ({ params, caller }) => readListing(caller, params.id ?? ''),
});

export const loader = handle;
export const action = handle;
