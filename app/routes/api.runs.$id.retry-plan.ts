// GET /api/runs/:id/retry-plan?version=current|original: what a retry would take over from the run, what it runs
// again, and which of those have side effects (the dialog's warning), plus the run's earlier retries.
// 404 for an unknown run (or another workspace's), 400 for a bad version, 409 for a run that cannot be retried.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { apiError, json, parseWith } from '../lib/http.server';
import { RETRY_VERSIONS, type RetryVersion } from '../../contracts/retries';
import { listRetriesOf } from '../../db/run-retries';
import { getRun } from '../../db/runs';
import { retryPlanOf } from '../../temporal/run-retry';

const querySchema = z.object({
  version: z.enum(RETRY_VERSIONS as [RetryVersion, ...RetryVersion[]]).default('current'),
});

const handle = apiHandler('/api/runs/:id/retry-plan', {
  GET: async ({ request, params, caller }) => {
    const query = parseWith(querySchema, Object.fromEntries(new URL(request.url).searchParams));
    const run = await getRun(caller.scope, params.id!);
    if (!run) return apiError(404, `Run ${params.id} does not exist.`);
    const planned = await retryPlanOf(run, query.version);
    if (!planned.ok) return apiError(planned.status, planned.message);
    const retries = (await listRetriesOf(caller.scope, run.runId)).map((r) => ({
      runId: r.runId,
      status: r.status,
      startedAt: r.startedAt,
    }));
    return json({ plan: planned.value.plan, retries });
  },
});

export const loader = handle;
export const action = handle;
