// GET /api/workflows/:id/marketplace/update?version=: the base, the draft and the new version, for the review's
// three-way merge. POST { version, revision, choices }: merges them with the conflict choices and saves the result as
// the draft; the replaced draft can be rolled back (docs/decisions/069).
import { apiHandler } from '../lib/api-route.server';
import { DOCUMENT_BODY_LIMIT, readJsonWith } from '../lib/http.server';
import { applyUpdate, marketplaceAnswer, updateBody, updatePreview } from '../lib/marketplace-update.server';

const handle = apiHandler('/api/workflows/:id/marketplace/update', {
  GET: async ({ request, params, caller }) => {
    const version = new URL(request.url).searchParams.get('version') || undefined;
    return marketplaceAnswer(() => updatePreview(caller, params.id ?? '', version));
  },
  POST: async ({ request, params, caller }) => {
    const body = await readJsonWith(request, updateBody, DOCUMENT_BODY_LIMIT);
    return marketplaceAnswer(() => applyUpdate(caller, params.id ?? '', body));
  },
});

export const loader = handle;
export const action = handle;
