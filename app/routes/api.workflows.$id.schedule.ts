// GET /api/workflows/:id/schedule: the published version's schedule as Temporal runs it (paused or not, its next
// five fire times, the runs it started lately, its note) and the saved draft's next fire times, for the editor.
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { scheduleFailure, scheduleView } from '../lib/schedules.server';
import { getWorkflow } from '../../db/workflows';

const handle = apiHandler('/api/workflows/:id/schedule', {
  GET: async ({ params, caller }) => {
    const workflow = await getWorkflow(caller.scope, params.id!);
    if (!workflow) return apiError(404, `Workflow ${params.id} does not exist.`);
    try {
      return json({ schedule: await scheduleView(workflow) });
    } catch (err) {
      return scheduleFailure(err);
    }
  },
});

export const loader = handle;
export const action = handle;
