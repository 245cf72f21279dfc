// GET /api/marketplace/listings?q=&category=&permission=&nodeType=&sort=installs|rating|newest: the listings the
// caller's workspace may see. POST { workflowId, title, description, category, tags, icon, visibility, version,
// changelog }: lists the workflow's published version, signed with the workspace's key (docs/decisions/061).
import { apiHandler } from '../lib/api-route.server';
import { findListings, publishBody, publishListing, readListingBody } from '../lib/marketplace.server';

const handle = apiHandler('/api/marketplace/listings', {
  GET: async ({ request, caller }) => findListings(caller, new URL(request.url)),
  POST: async ({ request, caller }) => publishListing(caller, await readListingBody(request, publishBody)),
});

export const loader = handle;
export const action = handle;
