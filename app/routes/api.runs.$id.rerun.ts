// POST /api/runs/:id/rerun { input? }: runs the run's plan again from the start, with the same trigger payload or
// `input` in its place; the new run is linked to this one (`retryOf`). 201 { runId }. 404 for an unknown run,
// 400 for a bad body, 409 for a run still queued or running.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { apiError, json, parseWith, readJson } from '../lib/http.server';
import { auditWorkflowAction } from '../lib/workflow-audit.server';
import { getRun } from '../../db/runs';
import { startRerun } from '../../temporal/run-retry';

const bodySchema = z.object({ input: z.unknown().optional() }).strict();

const handle = apiHandler('/api/runs/:id/rerun', {
  POST: async ({ request, params, caller, user, ip }) => {
    const raw = (await readJson(request, 1024 * 1024, { optional: true })) ?? {};
    const body = parseWith(bodySchema, raw);
    const run = await getRun(caller.scope, params.id!);
    if (!run) return apiError(404, `Run ${params.id} does not exist.`);
    const edited = Object.prototype.hasOwnProperty.call(raw, 'input') ? { trigger: body.input } : undefined;
    const answer = await startRerun(run, edited, user.name);
    if (!answer.ok) return apiError(answer.status, answer.message);
    await auditWorkflowAction(
      { caller, ip },
      'run.start',
      { kind: 'run', id: answer.value.runId },
      {
        workflowId: run.workflowId,
        rerunOf: run.runId,
        editedInput: edited !== undefined,
      },
    );
    return json({ runId: answer.value.runId }, 201);
  },
});

export const loader = handle;
export const action = handle;
