// GET /api/runs?workflowId=&limit=&before= and POST /api/runs (start a run of the draft or a published version;
// 503 with Retry-After while too many runs wait for a worker, see app/lib/admission.server.ts).
import { z } from 'zod';
import { admitRun } from '../lib/admission.server';
import { apiHandler } from '../lib/api-route.server';
import { apiError, json, parseWith, readJsonWith } from '../lib/http.server';
import { launchRun } from '../lib/run-launcher.server';
import { planForRun } from '../lib/run-plan.server';
import { auditWorkflowAction } from '../lib/workflow-audit.server';
import { foreignReferenceRefusal } from '../lib/workflow-references.server';
import { listRuns } from '../../db/runs';
import { getWorkflow } from '../../db/workflows';
import { manualRunPayload } from '../../nodes/triggers';

const startSchema = z.object({
  workflowId: z.string().min(1).max(100),
  version: z.union([z.literal('draft'), z.number().int().min(1)]).default('draft'),
  input: z.unknown().optional(),
});

const listSchema = z.object({
  workflowId: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().datetime().optional(),
});

const handle = apiHandler('/api/runs', {
  GET: async ({ request, caller }) => {
    const query = parseWith(listSchema, Object.fromEntries(new URL(request.url).searchParams));
    const runs = await listRuns(caller.scope, {
      workflowId: query.workflowId,
      limit: query.limit,
      before: query.before ? new Date(query.before) : undefined,
    });
    return json({ runs });
  },
  POST: async ({ request, caller, user, ip }) => {
    const body = await readJsonWith(request, startSchema);
    const workflow = await getWorkflow(caller.scope, body.workflowId);
    if (!workflow) return apiError(404, `Workflow ${body.workflowId} does not exist.`);
    const choice = await planForRun(workflow, body.version);
    if (!choice.ok) return apiError(choice.status, choice.message, choice.diagnostics);
    // A published version was checked when it was published; the draft is checked now.
    if (body.version === 'draft') {
      const foreign = await foreignReferenceRefusal(caller.scope, workflow.document);
      if (foreign) return foreign;
    }
    const refusal = await admitRun();
    if (refusal)
      return json(
        {
          error: {
            message:
              `Not starting the run: ${refusal.waiting} runs are waiting for a worker, the limit is ${refusal.limit} ` +
              `(BATON_MAX_BACKLOG). Retry after ${refusal.retryAfterSeconds} s, or add workers.`,
          },
        },
        503,
        { 'Retry-After': String(refusal.retryAfterSeconds) },
      );
    const runId = await launchRun({
      plan: choice.plan,
      planStored: choice.planStored,
      workspaceId: workflow.workspaceId,
      workflowId: workflow.id,
      workflowVersion: choice.workflowVersion,
      trigger: manualRunPayload(choice.plan.nodes[choice.plan.triggerId], body.input),
      mode: 'manual',
      startedBy: user.id,
    });
    await auditWorkflowAction(
      { caller, ip },
      'run.start',
      { kind: 'run', id: runId, name: workflow.name },
      { workflowId: workflow.id, version: body.version },
    );
    return json({ runId }, 201);
  },
});

export const loader = handle;
export const action = handle;
