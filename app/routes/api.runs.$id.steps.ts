// GET /api/runs/:id/steps: per-node step records (input, output, error, timings) of one run.
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { getRun } from '../models/run.server';
import { listSteps } from '../models/step.server';

const handle = apiHandler({
  GET: async ({ params }) => {
    const run = await getRun(params.id!);
    if (!run) return apiError(404, `Run ${params.id} does not exist.`);
    return json({ steps: await listSteps(run.runId) });
  },
});

export const loader = handle;
export const action = handle;
