// GET /api/runs/:id: one run with its status, trigger, output and error.
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { getRun } from '../models/run.server';

const handle = apiHandler({
  GET: async ({ params }) => {
    const run = await getRun(params.id!);
    return run ? json({ run }) : apiError(404, `Run ${params.id} does not exist.`);
  },
});

export const loader = handle;
export const action = handle;
