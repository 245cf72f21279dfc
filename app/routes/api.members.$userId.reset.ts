// POST /api/members/:userId/reset: an admin issues a single-use password reset link (valid one hour) for a member;
// the answer is the only time the link is shown. Hand it over privately.
import { apiHandler } from '../lib/api-route.server';
import { json } from '../lib/http.server';
import { issueResetLink } from '../lib/member-access.server';

const handle = apiHandler('/api/members/:userId/reset', {
  POST: async ({ request, params, caller, ip }) =>
    json(await issueResetLink({ caller, ip }, request, params.userId!), 201),
});

export const loader = handle;
export const action = handle;
