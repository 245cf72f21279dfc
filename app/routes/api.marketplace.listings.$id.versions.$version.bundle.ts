// GET /api/marketplace/listings/:id/versions/:version/bundle: the signed bundle file of a version the caller may
// see, to import on another Baton (docs/decisions/070).
import { apiHandler } from '../lib/api-route.server';
import { exportBundle } from '../lib/marketplace-bundle.server';

const handle = apiHandler('/api/marketplace/listings/:id/versions/:version/bundle', {
  GET: async ({ params, caller }) => exportBundle(caller, params.id ?? '', params.version ?? ''),
});

export const loader = handle;
export const action = handle;
