// POST /api/approvals/decisions { ids, decision, comment? }: one decision on several requests (bulk decide in the
// inbox). Each id is decided on its own, in order; the answer lists each one's outcome: `{ id, ok: true, status }`
// or `{ id, ok: false, status: 403 | 404 | 409 | 400, error, reason? }` (`reason` for a refusal of the run,
// contracts/approval-refusals.ts). A request of another workspace reads as 404.
import { apiHandler } from '../lib/api-route.server';
import { bulkDecisionSchema, decide, deciderOf, refusalStatus } from '../lib/approvals.server';
import { json, parseWith, readJson } from '../lib/http.server';
import type { ApprovalRefusalReason } from '../../contracts/approval-refusals';
import { getApproval } from '../../db/approvals';
import { ApprovalRefusedError } from '../../temporal/approvals';

type Outcome =
  | { id: string; ok: true; status: string }
  | { id: string; ok: false; status: number; error: string; reason?: ApprovalRefusalReason };

const handle = apiHandler('/api/approvals/decisions', {
  POST: async ({ request, caller, ip }) => {
    const body = parseWith(bulkDecisionSchema, await readJson(request, 64 * 1024));
    const decider = deciderOf(caller, ip);
    const results: Outcome[] = [];
    for (const id of new Set(body.ids)) {
      const approval = await getApproval(caller.scope, id);
      if (!approval) {
        results.push({ id, ok: false, status: 404, error: `Approval ${id} does not exist.` });
        continue;
      }
      try {
        const updated = await decide(approval, decider, { decision: body.decision, comment: body.comment });
        results.push({ id, ok: true, status: updated.status });
      } catch (err) {
        if (!(err instanceof ApprovalRefusedError)) throw err;
        results.push({ id, ok: false, status: refusalStatus(err), error: err.message, reason: err.reason });
      }
    }
    return json({ results, decided: results.filter((r) => r.ok).length });
  },
});

export const loader = handle;
export const action = handle;
