// POST /api/runs/:id/cancel { reason? }: asks the run to stop gracefully. The interpreter cancels its running
// nodes and records the run `cancelled`; the answer (202) comes before that, with the run as it is now.
// 404 for an unknown run, 409 for one that already ended.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { apiError, json, parseWith, readJson } from '../lib/http.server';
import { clientRun } from '../lib/stored-values.server';
import { isTerminalRunStatus } from '../../contracts/run-status';
import { auditWorkflowAction } from '../lib/workflow-audit.server';
import { getRun } from '../../db/runs';
import { requestCancel } from '../../temporal/run-control';

const bodySchema = z.object({ reason: z.string().trim().max(500).optional() }).strict();

const handle = apiHandler('/api/runs/:id/cancel', {
  POST: async ({ request, params, caller, user, ip }) => {
    const body = parseWith(bodySchema, (await readJson(request, 16 * 1024, { optional: true })) ?? {});
    const own = await getRun(caller.scope, params.id!);
    if (!own) return apiError(404, `Run ${params.id} does not exist.`);
    const answer = await requestCancel(own.runId, user.name, body.reason || undefined);
    if (!answer.ok) return apiError(answer.status, answer.message);
    const run = await clientRun(caller.scope, answer.run.runId);
    await auditWorkflowAction(
      { caller, ip },
      'run.cancel',
      { kind: 'run', id: own.runId },
      {
        workflowId: own.workflowId,
        ...(body.reason ? { reason: body.reason } : {}),
      },
    );
    // 202 while the interpreter is still stopping; 200 when it had not started and is recorded cancelled already.
    return json({ run }, run && isTerminalRunStatus(run.status) ? 200 : 202);
  },
});

export const loader = handle;
export const action = handle;
