// POST /api/marketplace/bundles (body: a .baton.json bundle file): verifies it and adds it to the caller's
// workspace as an imported listing (docs/decisions/070). A tampered bundle, or one signed by a revoked key, is
// refused naming what is wrong.
import { apiHandler } from '../lib/api-route.server';
import { importBundleFile } from '../lib/marketplace-bundle.server';

const handle = apiHandler('/api/marketplace/bundles', {
  POST: async ({ request, caller }) => importBundleFile(caller, request),
});

export const loader = handle;
export const action = handle;
