// POST /api/approvals/:id/decision { decision: "approve" | "reject", comment?, form?, data? }: decides as the
// caller. A token needs the `approve` scope. The run decides whether the caller may (eligible, not barred, not
// decided yet, request still open, form filled in right): 403 or 409 saying why, 400 for a form value that
// does not fit its field, naming the field; `error.reason` names the refusal (contracts/approval-refusals.ts).
// 200 with the request as it stands afterwards.
import { apiHandler } from '../lib/api-route.server';
import { approvalView } from '../lib/approval-view';
import { decide, deciderOf, DECISION_BODY_LIMIT, decisionInputSchema, refusalResponse } from '../lib/approvals.server';
import { apiError, json, parseWith, readJson } from '../lib/http.server';
import { getApproval } from '../../db/approvals';

const handle = apiHandler('/api/approvals/:id/decision', {
  POST: async ({ request, params, caller, user, ip }) => {
    const input = parseWith(decisionInputSchema, await readJson(request, DECISION_BODY_LIMIT));
    const approval = await getApproval(caller.scope, params.id!);
    if (!approval) return apiError(404, `Approval ${params.id} does not exist.`);
    try {
      const decider = deciderOf(caller, ip);
      const updated = await decide(approval, decider, input);
      return json({ approval: approvalView(updated, user.id) });
    } catch (err) {
      return refusalResponse(err);
    }
  },
});

export const loader = handle;
export const action = handle;
