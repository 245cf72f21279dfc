// POST /api/runs/:id/terminate { reason? }: ends the run's Temporal execution at once, without running any
// cleanup, and records the run `terminated` with the reason and who asked. For a run a cancel did not stop.
// 404 for an unknown run, 409 for one that already ended.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { apiError, json, parseWith, readJson } from '../lib/http.server';
import { clientRun } from '../lib/stored-values.server';
import { auditWorkflowAction } from '../lib/workflow-audit.server';
import { getRun } from '../../db/runs';
import { terminateNow } from '../../temporal/run-control';

const bodySchema = z.object({ reason: z.string().trim().max(500).optional() }).strict();

const handle = apiHandler('/api/runs/:id/terminate', {
  POST: async ({ request, params, caller, user, ip }) => {
    const body = parseWith(bodySchema, (await readJson(request, 16 * 1024, { optional: true })) ?? {});
    const own = await getRun(caller.scope, params.id!);
    if (!own) return apiError(404, `Run ${params.id} does not exist.`);
    const answer = await terminateNow(own.runId, user.name, body.reason || undefined);
    if (!answer.ok) return apiError(answer.status, answer.message);
    await auditWorkflowAction(
      { caller, ip },
      'run.terminate',
      { kind: 'run', id: own.runId },
      {
        workflowId: own.workflowId,
        ...(body.reason ? { reason: body.reason } : {}),
      },
    );
    return json({ run: await clientRun(caller.scope, answer.run.runId) });
  },
});

export const loader = handle;
export const action = handle;
