// POST /api/workflows/:id/schedule/run-now: the schedule starts a run of the published version at once, even when
// one is running and its overlap policy would skip it. The run's slot (payload `scheduledAt`) is now.
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { runNow, scheduleFailure, scheduleView } from '../lib/schedules.server';
import { auditWorkflowAction } from '../lib/workflow-audit.server';
import { getWorkflow } from '../../db/workflows';

const handle = apiHandler('/api/workflows/:id/schedule/run-now', {
  POST: async ({ params, caller, ip }) => {
    const workflow = await getWorkflow(caller.scope, params.id!);
    if (!workflow) return apiError(404, `Workflow ${params.id} does not exist.`);
    try {
      await runNow(workflow);
      await auditWorkflowAction(
        { caller, ip },
        'run.start',
        { kind: 'workflow', id: workflow.id, name: workflow.name },
        { how: 'schedule run now', version: workflow.publishedVersion },
      );
      return json({ schedule: await scheduleView(workflow) }, 202);
    } catch (err) {
      return scheduleFailure(err);
    }
  },
});

export const loader = handle;
export const action = handle;
