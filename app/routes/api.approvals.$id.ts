// GET /api/approvals/:id: one request of the caller's workspace, as the caller sees it (can they decide, where the
// rule stands), with its trail: who asked whom, delegations and decisions (with how, the comment, form values and edits). Another workspace's reads as 404.
import { apiHandler } from '../lib/api-route.server';
import { approvalView } from '../lib/approval-view';
import { approvalTrail } from '../lib/approvals.server';
import { apiError, json } from '../lib/http.server';
import { getApproval } from '../../db/approvals';

const handle = apiHandler('/api/approvals/:id', {
  GET: async ({ params, caller }) => {
    const approval = await getApproval(caller.scope, params.id!);
    if (!approval) return apiError(404, `Approval ${params.id} does not exist.`);
    return json({ approval: approvalView(approval, caller.user.id), trail: await approvalTrail(caller, approval) });
  },
});

export const loader = handle;
export const action = handle;
