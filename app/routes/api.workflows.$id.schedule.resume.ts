// POST /api/workflows/:id/schedule/resume: a paused schedule fires again from its next fire time; the times it
// missed while paused are not made up (backfill them).
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { setPaused, scheduleFailure, scheduleView } from '../lib/schedules.server';
import { getWorkflow } from '../../db/workflows';

const handle = apiHandler('/api/workflows/:id/schedule/resume', {
  POST: async ({ params, caller, user }) => {
    const workflow = await getWorkflow(caller.scope, params.id!);
    if (!workflow) return apiError(404, `Workflow ${params.id} does not exist.`);
    try {
      await setPaused(workflow, false, user.name);
      return json({ schedule: await scheduleView(workflow) }, 200);
    } catch (err) {
      return scheduleFailure(err);
    }
  },
});

export const loader = handle;
export const action = handle;
