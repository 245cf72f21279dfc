// POST /api/approvals/:id/delegate { to: userId, comment? }: hands the caller's say on this request to another
// member of the workspace. The run refuses (403/409 with its reason) when the caller cannot decide it or the
// request is closed; 400 when `to` is not a member.
import { apiHandler } from '../lib/api-route.server';
import { approvalView } from '../lib/approval-view';
import { deciderOf, delegate, delegateSchema, refusalResponse } from '../lib/approvals.server';
import { apiError, json, parseWith, readJson } from '../lib/http.server';
import { getApproval } from '../../db/approvals';
import { getUserById } from '../../db/users';
import { membershipOf } from '../../db/workspaces';

const handle = apiHandler('/api/approvals/:id/delegate', {
  POST: async ({ request, params, caller, user, ip }) => {
    const body = parseWith(delegateSchema, await readJson(request, 16 * 1024));
    const approval = await getApproval(caller.scope, params.id!);
    if (!approval) return apiError(404, `Approval ${params.id} does not exist.`);
    const member = await membershipOf(caller.scope.workspaceId, body.to);
    const target = member && (await getUserById(body.to));
    if (!target) return apiError(400, `Invalid request: to: ${body.to} is not a member of this workspace.`);
    if (target.id === user.id) return apiError(400, 'Invalid request: to: delegate to someone other than yourself.');
    try {
      const decider = deciderOf(caller, ip);
      const updated = await delegate(approval, decider, { id: target.id, name: target.name }, body.comment);
      return json({ approval: approvalView(updated, user.id) });
    } catch (err) {
      return refusalResponse(err);
    }
  },
});

export const loader = handle;
export const action = handle;
