// POST /api/workflows/:id/schedule/pause: the published version's schedule stops firing until resumed; runs it
// started go on. Publishing a new version keeps it paused.
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { setPaused, scheduleFailure, scheduleView } from '../lib/schedules.server';
import { getWorkflow } from '../../db/workflows';

const handle = apiHandler('/api/workflows/:id/schedule/pause', {
  POST: async ({ params, caller, user }) => {
    const workflow = await getWorkflow(caller.scope, params.id!);
    if (!workflow) return apiError(404, `Workflow ${params.id} does not exist.`);
    try {
      await setPaused(workflow, true, user.name);
      return json({ schedule: await scheduleView(workflow) }, 200);
    } catch (err) {
      return scheduleFailure(err);
    }
  },
});

export const loader = handle;
export const action = handle;
