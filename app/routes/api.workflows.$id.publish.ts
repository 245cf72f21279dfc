// POST /api/workflows/:id/publish: freeze the saved draft as the next immutable version (must compile cleanly).
// The workflow's Temporal Schedule follows: created or updated when the version's trigger is a schedule, deleted
// otherwise (app/lib/schedules.server.ts).
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { checkForRun, summarizeDiagnostics } from '../lib/document-check';
import { apiError, json, readJson, parseWith } from '../lib/http.server';
import { rememberPublished } from '../lib/plan-cache.server';
import { hasLiveSchedule, scheduleDiagnostic, syncSchedule } from '../lib/schedules.server';
import { savePlan } from '../../db/plans';
import { auditWorkflowAction } from '../lib/workflow-audit.server';
import { foreignReferenceRefusal } from '../lib/workflow-references.server';
import { getWorkflow, publishVersion } from '../../db/workflows';

// An optional revision pins what the publisher looked at, so a concurrent save is not published by surprise.
const bodySchema = z.object({ revision: z.number().int().min(1).optional() });

const handle = apiHandler('/api/workflows/:id/publish', {
  POST: async ({ request, params, caller, user, ip }) => {
    const body = parseWith(bodySchema, (await readJson(request, undefined, { optional: true })) ?? {});
    const workflow = await getWorkflow(caller.scope, params.id!);
    if (!workflow) return apiError(404, `Workflow ${params.id} does not exist.`);
    if (body.revision !== undefined && body.revision !== workflow.revision) {
      return apiError(
        409,
        `The draft changed since revision ${body.revision} (now ${workflow.revision}); reload before publishing.`,
        undefined,
        {
          currentRevision: workflow.revision,
        },
      );
    }
    const check = checkForRun(workflow.document, { workflowId: workflow.id, name: workflow.name });
    if (!check.ok)
      return apiError(
        422,
        summarizeDiagnostics('Cannot publish', check.diagnostics, workflow.document),
        check.diagnostics,
      );
    const scheduleProblem = scheduleDiagnostic(check.plan, check.doc);
    if (scheduleProblem)
      return apiError(422, summarizeDiagnostics('Cannot publish', [scheduleProblem], workflow.document), [
        scheduleProblem,
      ]);
    const foreign = await foreignReferenceRefusal(caller.scope, workflow.document);
    if (foreign) return foreign;
    const hadSchedule = await hasLiveSchedule(workflow);
    await savePlan(check.plan);
    const version = await publishVersion(caller.scope, {
      workflowId: workflow.id,
      document: workflow.document,
      planHash: check.plan.hash,
      createdBy: user.id,
    });
    rememberPublished({
      workflowId: workflow.id,
      version: version.version,
      plan: check.plan,
      document: version.document,
    });
    await auditWorkflowAction(
      { caller, ip },
      'workflow.publish',
      { kind: 'workflow', id: workflow.id, name: workflow.name },
      { version: version.version, revision: workflow.revision },
    );
    const { document: _frozen, ...summary } = version;
    let schedule;
    try {
      schedule = await syncSchedule(workflow.id, version.version, check.plan, hadSchedule);
    } catch (err) {
      return apiError(
        502,
        `Published version ${version.version}, but its schedule could not be set in Temporal ` +
          `(${(err as Error).message}); publish again to retry.`,
        undefined,
        { version: summary },
      );
    }
    return json({ version: summary, warnings: check.warnings, schedule }, 201);
  },
});

export const loader = handle;
export const action = handle;
