// POST /api/workspaces/:id/switch: the browser acts in workspace :id from now on (a member of it only).
import { apiHandler } from '../lib/api-route.server';
import { json } from '../lib/http.server';
import { switchCookie } from '../lib/workspaces.server';

const handle = apiHandler('/api/workspaces/:id/switch', {
  POST: async ({ request, params, caller }) => {
    const cookie = await switchCookie(request, caller, params.id!);
    return json({ workspaceId: params.id }, 200, { 'Set-Cookie': cookie });
  },
});

export const loader = handle;
export const action = handle;
