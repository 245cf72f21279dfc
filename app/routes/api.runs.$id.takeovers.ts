// GET /api/runs/:id/takeovers: the run's Browser steps waiting for a person now (docs/decisions/059), for the run
// page's banner: the task, its node and step. Never the relay's address or token. Another workspace's run is a 404.
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { takeoversOfRun } from '../../db/browser-takeovers';
import { getRun } from '../../db/runs';
import { waitingForPeople } from '../lib/run-takeovers';

const handle = apiHandler('/api/runs/:id/takeovers', {
  GET: async ({ params, caller }) => {
    const run = await getRun(caller.scope, params.id!);
    if (!run) return apiError(404, `Run ${params.id} does not exist in this workspace.`);
    return json({ takeovers: waitingForPeople(await takeoversOfRun(run.runId)) });
  },
});

export const loader = handle;
export const action = handle;
