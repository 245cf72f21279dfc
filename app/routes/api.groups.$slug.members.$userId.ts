// DELETE /api/groups/:slug/members/:userId: take a user out of the group.
import { apiHandler } from '../lib/api-route.server';
import { json } from '../lib/http.server';
import { removeFromGroup } from '../lib/groups.server';

const handle = apiHandler('/api/groups/:slug/members/:userId', {
  DELETE: async ({ params, caller, ip }) =>
    json({ group: await removeFromGroup({ caller, ip }, params.slug!, params.userId!) }),
});

export const loader = handle;
export const action = handle;
