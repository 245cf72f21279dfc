// PATCH /api/members/:userId { role }: change a member's role. DELETE: remove them (your own id: leave).
import { apiHandler } from '../lib/api-route.server';
import { json, readJsonWith } from '../lib/http.server';
import { changeRole, removeFromWorkspace, roleSchema } from '../lib/members.server';

const handle = apiHandler('/api/members/:userId', {
  PATCH: async ({ request, params, caller, ip }) => {
    const { role } = await readJsonWith(request, roleSchema);
    return json({ member: await changeRole({ caller, ip }, params.userId!, role) });
  },
  DELETE: async ({ params, caller, ip }) => {
    await removeFromWorkspace({ caller, ip }, params.userId!);
    return new Response(null, { status: 204 });
  },
});

export const loader = handle;
export const action = handle;
