// POST /api/marketplace/listings/:id/versions { version, changelog, workflowId? }: a new semver version of a
// listing of the caller's workspace, from the workflow's current published version.
import { apiHandler } from '../lib/api-route.server';
import { publishVersion, readListingBody, versionBody } from '../lib/marketplace.server';

const handle = apiHandler('/api/marketplace/listings/:id/versions', {
  POST: async ({ request, params, caller }) =>
    publishVersion(caller, params.id ?? '', await readListingBody(request, versionBody)),
});

export const loader = handle;
export const action = handle;
