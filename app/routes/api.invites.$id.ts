// DELETE /api/invites/:id: revoke a pending invite; its link stops working.
import { apiHandler } from '../lib/api-route.server';
import { cancelInvite } from '../lib/members.server';

const handle = apiHandler('/api/invites/:id', {
  DELETE: async ({ params, caller, ip }) => {
    await cancelInvite({ caller, ip }, params.id!);
    return new Response(null, { status: 204 });
  },
});

export const loader = handle;
export const action = handle;
