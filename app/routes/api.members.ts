// GET /api/members: the members of the caller's workspace, with name, email and role.
import { apiHandler } from '../lib/api-route.server';
import { json } from '../lib/http.server';
import { memberList } from '../lib/members.server';

const handle = apiHandler('/api/members', {
  GET: async ({ caller }) => json({ members: await memberList(caller) }),
});

export const loader = handle;
export const action = handle;
