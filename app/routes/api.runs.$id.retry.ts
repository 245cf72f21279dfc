// POST /api/runs/:id/retry { version?: 'current' | 'original' }: a new run linked to this one that takes over the
// nodes that succeeded unchanged and runs the failed node and what follows (temporal/run-retry.ts). 201 { runId }.
// 404 for an unknown run, 400 for a bad body, 409 for a run that is not failed, cancelled, terminated or timed out.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { apiError, json, parseWith, readJson } from '../lib/http.server';
import { auditWorkflowAction } from '../lib/workflow-audit.server';
import { RETRY_VERSIONS, type RetryVersion } from '../../contracts/retries';
import { getRun } from '../../db/runs';
import { startRetry } from '../../temporal/run-retry';

export const retryBodySchema = z
  .object({ version: z.enum(RETRY_VERSIONS as [RetryVersion, ...RetryVersion[]]).default('current') })
  .strict();

const handle = apiHandler('/api/runs/:id/retry', {
  POST: async ({ request, params, caller, user, ip }) => {
    const body = parseWith(retryBodySchema, (await readJson(request, 16 * 1024, { optional: true })) ?? {});
    const run = await getRun(caller.scope, params.id!);
    if (!run) return apiError(404, `Run ${params.id} does not exist.`);
    const answer = await startRetry(run, body.version, user.name);
    if (!answer.ok) return apiError(answer.status, answer.message);
    const { runId, plan } = answer.value;
    await auditWorkflowAction(
      { caller, ip },
      'run.start',
      { kind: 'run', id: runId },
      {
        workflowId: run.workflowId,
        retryOf: run.runId,
        version: body.version,
        reused: plan.reused.length,
      },
    );
    return json({ runId, plan }, 201);
  },
});

export const loader = handle;
export const action = handle;
