// DELETE /api/members/:userId/sessions: an admin ends every sign-in session of a member of their workspace.
import { apiHandler } from '../lib/api-route.server';
import { json } from '../lib/http.server';
import { endMemberSessions } from '../lib/member-access.server';

const handle = apiHandler('/api/members/:userId/sessions', {
  DELETE: async ({ params, caller, ip }) => json({ ended: await endMemberSessions({ caller, ip }, params.userId!) }),
});

export const loader = handle;
export const action = handle;
