// GET /api/runs/:id: one run with its status, trigger, output and error. An output over 16 KB comes as a
// preview with a download link (see lib/stored-values.server).
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { clientRun } from '../lib/stored-values.server';

const handle = apiHandler({
  GET: async ({ params }) => {
    const run = await clientRun(params.id!);
    return run ? json({ run }) : apiError(404, `Run ${params.id} does not exist.`);
  },
});

export const loader = handle;
export const action = handle;
