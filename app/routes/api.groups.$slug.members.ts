// POST /api/groups/:slug/members { userId }: add a member of the workspace to the group.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { json, readJsonWith } from '../lib/http.server';
import { addToGroup } from '../lib/groups.server';

const bodySchema = z.object({ userId: z.string().min(1).max(100) });

const handle = apiHandler('/api/groups/:slug/members', {
  POST: async ({ request, params, caller, ip }) => {
    const { userId } = await readJsonWith(request, bodySchema);
    return json({ group: await addToGroup({ caller, ip }, params.slug!, userId) });
  },
});

export const loader = handle;
export const action = handle;
