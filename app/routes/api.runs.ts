// GET /api/runs?workflowId=&status=&mode=&startedBy=&from=&to=&tag=&q=&cursor=&limit= (the runs page's list, newest
// first, `nextCursor` for the next page; app/lib/run-list.server.ts) and POST /api/runs (start a run of the draft or a published version;
// 503 with Retry-After while too many runs wait for a worker, see app/lib/admission.server.ts).
import { z } from 'zod';
import { admitRun } from '../lib/admission.server';
import { apiHandler } from '../lib/api-route.server';
import { apiError, json, readJsonWith } from '../lib/http.server';
import { runListFilter, runListQuery } from '../lib/run-list.server';
import { launchRun } from '../lib/run-launcher.server';
import { planForRun } from '../lib/run-plan.server';
import { auditWorkflowAction } from '../lib/workflow-audit.server';
import { foreignReferenceRefusal } from '../lib/workflow-references.server';
import { encodeRunCursor, listRunPage } from '../../db/run-list';
import { getWorkflow } from '../../db/workflows';
import { manualRunPayload } from '../../nodes/triggers';

const startSchema = z.object({
  workflowId: z.string().min(1).max(100),
  version: z.union([z.literal('draft'), z.number().int().min(1)]).default('draft'),
  input: z.unknown().optional(),
});

const handle = apiHandler('/api/runs', {
  GET: async ({ request, caller }) => {
    const query = runListQuery(request);
    const filter = runListFilter(query);
    // `before` (a start time) is the older way to page: runs that started before it.
    const cursor =
      query.cursor ?? (query.before ? encodeRunCursor({ t: Date.parse(query.before), id: '' }) : undefined);
    try {
      const page = await listRunPage(caller.scope, filter, { cursor, limit: query.limit });
      return json(page);
    } catch (err) {
      if (err instanceof RangeError) return apiError(400, `Invalid request: cursor: ${err.message}.`);
      throw err;
    }
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
