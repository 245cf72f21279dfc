// GET /api/runs/:id/steps: per-node step records (input, output, error, timings) of one run. Inputs and
// outputs over 16 KB come as previews with a download link (see lib/stored-values.server).
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { clientSteps } from '../lib/stored-values.server';
import { getRun } from '../../db/runs';

const handle = apiHandler({
  GET: async ({ params }) => {
    const run = await getRun(params.id!);
    if (!run) return apiError(404, `Run ${params.id} does not exist.`);
    return json({ steps: await clientSteps(run.runId) });
  },
});

export const loader = handle;
export const action = handle;
