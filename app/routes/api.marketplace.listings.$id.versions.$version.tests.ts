// GET /api/marketplace/listings/:id/versions/:version/tests: the version's test names and whether they pass on this
// instance (run first when no current result exists); POST runs them now (docs/decisions/072).
import { apiHandler } from '../lib/api-route.server';
import { readListingTests, runListingTests } from '../lib/marketplace-tests.server';

const handle = apiHandler('/api/marketplace/listings/:id/versions/:version/tests', {
  GET: async ({ params, caller }) => readListingTests(caller, params.id ?? '', params.version ?? ''),
  POST: async ({ params, caller }) => runListingTests(caller, params.id ?? '', params.version ?? ''),
});

export const loader = handle;
export const action = handle;
