// GET /api/groups/:slug, PUT { name, userIds } (replaces both), DELETE.
import { apiHandler } from '../lib/api-route.server';
import { apiError, json, readJsonWith } from '../lib/http.server';
import { groupUpdateSchema, removeGroup, updateGroup } from '../lib/groups.server';
import { getGroup } from '../../db/workspaces';

const handle = apiHandler('/api/groups/:slug', {
  GET: async ({ params, caller }) => {
    const group = await getGroup(caller.scope, params.slug!);
    return group ? json({ group }) : apiError(404, `No group "${params.slug}" in this workspace.`);
  },
  PUT: async ({ request, params, caller, ip }) => {
    const input = await readJsonWith(request, groupUpdateSchema);
    return json({ group: await updateGroup({ caller, ip }, params.slug!, input) });
  },
  DELETE: async ({ params, caller, ip }) => {
    await removeGroup({ caller, ip }, params.slug!);
    return new Response(null, { status: 204 });
  },
});

export const loader = handle;
export const action = handle;
