// GET /api/groups: the workspace's named groups. POST { name, slug?, userIds? }: create one.
import { apiHandler } from '../lib/api-route.server';
import { json, readJsonWith } from '../lib/http.server';
import { createGroup, groupSchema } from '../lib/groups.server';
import { listGroups } from '../../db/workspaces';

const handle = apiHandler('/api/groups', {
  GET: async ({ caller }) => json({ groups: await listGroups(caller.scope) }),
  POST: async ({ request, caller, ip }) => {
    const input = await readJsonWith(request, groupSchema);
    return json({ group: await createGroup({ caller, ip }, input) }, 201);
  },
});

export const loader = handle;
export const action = handle;
