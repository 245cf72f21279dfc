// GET /api/runs/:id: one run with its status, trigger, output and error, and the runs it started (`children`:
// Execute workflow nodes, its error workflow); a run another started names it in `parentRunId`. An output over
// 16 KB comes as a preview with a download link (see lib/stored-values.server).
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { clientRun } from '../lib/stored-values.server';
import { listChildRuns } from '../../db/runs';

const handle = apiHandler({
  GET: async ({ params }) => {
    const run = await clientRun(params.id!);
    if (!run) return apiError(404, `Run ${params.id} does not exist.`);
    const children = (await listChildRuns(run.runId)).map(({ trigger: _t, output: _o, ...child }) => child);
    return json({ run, children });
  },
});

export const loader = handle;
export const action = handle;
