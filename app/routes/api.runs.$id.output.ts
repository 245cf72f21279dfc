// GET /api/runs/:id/output: the run's whole output as a JSON download, large values streamed from the blob store.
import { apiHandler } from '../lib/api-route.server';
import { apiError } from '../lib/http.server';
import { jsonDownload } from '../lib/stored-values.server';
import { getStoredRun } from '../../db/runs';

const handle = apiHandler('/api/runs/:id/output', {
  GET: async ({ params, caller }) => {
    const stored = await getStoredRun(caller.scope, params.id!);
    if (!stored) return apiError(404, `Run ${params.id} does not exist.`);
    if (stored.outputJson === undefined)
      return apiError(404, `Run ${params.id} has no output (it is ${stored.run.status}).`);
    return jsonDownload(stored.outputJson, stored.run.runId, `${stored.run.runId}-output.json`);
  },
});

export const loader = handle;
export const action = handle;
