// POST /api/marketplace/listings/:id/versions/:version/tests/attach { runId, name? }: a test made from a successful
// run of the publisher's workspace, added to the version's tests once it passes here (docs/decisions/072).
import { apiHandler } from '../lib/api-route.server';
import { readJson } from '../lib/http.server';
import { attachTestsFromRun } from '../lib/marketplace-tests.server';

const handle = apiHandler('/api/marketplace/listings/:id/versions/:version/tests/attach', {
  POST: async ({ request, params, caller }) =>
    attachTestsFromRun(caller, params.id ?? '', params.version ?? '', await readJson(request)),
});

export const loader = handle;
export const action = handle;
