// GET /api/invites: pending invites. POST { email, role, expiresInDays? }: a single-use link, shown only here.
import { apiHandler } from '../lib/api-route.server';
import { json, readJsonWith } from '../lib/http.server';
import { inviteMember, inviteSchema, pendingInvites } from '../lib/members.server';

const handle = apiHandler('/api/invites', {
  GET: async ({ caller }) => json({ invites: await pendingInvites(caller) }),
  POST: async ({ request, caller, ip }) => {
    const input = await readJsonWith(request, inviteSchema);
    return json(await inviteMember({ caller, ip }, request, input), 201);
  },
});

export const loader = handle;
export const action = handle;
