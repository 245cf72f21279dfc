// GET /api/runs/:id/agent-calls: every model and tool call of the run's LLM and Agent nodes, oldest first, with
// totals per node and for the run (tokens, cost, compute time). The run page's agent panel reads this, then follows
// live `agent` events.
import { callsOfRun, sumUsage } from '../../db/agent-calls';
import { getRun } from '../../db/runs';
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';

const handle = apiHandler('/api/runs/:id/agent-calls', {
  GET: async ({ params, caller }) => {
    const run = await getRun(caller.scope, params.id!);
    if (!run) return apiError(404, `Run ${params.id} does not exist.`);
    const calls = await callsOfRun(run.runId);
    const nodes = [...new Set(calls.map((c) => c.nodeId))].map((nodeId) => {
      const own = calls.filter((c) => c.nodeId === nodeId);
      return { nodeId, nodeName: own[0].nodeName, usage: sumUsage(own) };
    });
    return json({ calls, nodes, usage: sumUsage(calls) });
  },
});

export const loader = handle;
