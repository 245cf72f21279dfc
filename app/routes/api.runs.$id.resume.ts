// POST /api/runs/:id/resume { node, data? }: resumes a Wait node that waits for the API ("Until resumed through the
// API"). `node` is the node's name or id; `data` becomes the node's output `{ data }`. 200 once the run has
// accepted it; 404 for an unknown run or node, 409 when the node does not wait for this (or no longer waits) or the
// run has ended, with the run's own reason.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { apiError, json, parseWith, readJson } from '../lib/http.server';
import { getPlan } from '../../db/plans';
import { getRun } from '../../db/runs';
import { ResumeRefusedError, RunNotRunningError, resumeWait } from '../../temporal/client';

const DATA_LIMIT = 256 * 1024;
const bodySchema = z.object({ node: z.string().trim().min(1).max(128), data: z.unknown().optional() }).strict();

const handle = apiHandler('/api/runs/:id/resume', {
  POST: async ({ request, params, caller, user }) => {
    const body = parseWith(bodySchema, await readJson(request, DATA_LIMIT));
    const run = await getRun(caller.scope, params.id!);
    if (!run) return apiError(404, `Run ${params.id} does not exist.`);
    const plan = await getPlan(run.planHash);
    const node = plan && (plan.nodes[body.node] ?? Object.values(plan.nodes).find((n) => n.name === body.node));
    if (!node) return apiError(404, `Run ${run.runId} has no node "${body.node}".`, undefined, { field: 'node' });
    try {
      await resumeWait(run.runId, {
        nodeId: node.id,
        source: 'signal',
        data: { data: body.data ?? null, resumedBy: user.name },
      });
    } catch (err) {
      if (err instanceof ResumeRefusedError) return apiError(409, err.message);
      if (err instanceof RunNotRunningError) return apiError(409, `Run ${run.runId} is no longer running.`);
      throw err;
    }
    return json({ resumed: true, runId: run.runId, nodeId: node.id });
  },
});

export const loader = handle;
export const action = handle;
