// GET /api/runs/:id/steps: the run's top-level step records (iteration 0: input, output, error, timings) and, per
// loop node, a summary `{ nodeId, iterations, failed, body }`. GET …/steps?iteration=k[&loop=<nodeId>]: the steps of
// iteration k, the loop node's and its body's. A loop may run 100,000 iterations, so no answer lists them all: every
// record is read by `_id` from the pinned plan's node ids (docs/decisions/031-flat-history.md), and the summaries
// come from `_id` probes and a pushed-down count. Inputs and outputs over 16 KB come as previews with a download link.
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { clientStep } from '../lib/stored-values.server';
import { getPlan } from '../../db/plans';
import { getRun } from '../../db/runs';
import { countFailedIterations, countLoopIterations, findStepsByKey, listTopLevelStepRecords } from '../../db/steps';
import type { Plan } from '../../ir/types';
import type { LoopSummary } from '../lib/run-view';

const handle = apiHandler('/api/runs/:id/steps', {
  GET: async ({ request, params, caller }) => {
    const run = await getRun(caller.scope, params.id!);
    if (!run) return apiError(404, `Run ${params.id} does not exist.`);
    const plan = await getPlan(run.planHash);
    const query = new URL(request.url).searchParams;
    const loops = plan ? loopsOf(plan) : [];
    if (!query.has('iteration')) {
      const docs = plan
        ? await findStepsByKey(
            run.runId,
            topLevelNodes(plan).map((nodeId) => ({ nodeId, iteration: 0 })),
          )
        : await listTopLevelStepRecords(run.runId);
      const summaries = await Promise.all(loops.map((l) => summarize(run.runId, l)));
      return json({ steps: await Promise.all(docs.map(clientStep)), loops: summaries });
    }

    const loopId = query.get('loop');
    const chosen = loopId === null ? loops : loops.filter((l) => l.nodeId === loopId);
    if (loopId !== null && chosen.length === 0)
      return apiError(400, `loop: node "${loopId}" is not a loop node of run ${run.runId}.`);
    if (chosen.length === 0) return apiError(400, `iteration: run ${run.runId} has no loop nodes.`);
    const counts = await Promise.all(chosen.map((l) => countLoopIterations(run.runId, l.nodeId)));
    const max = Math.max(...counts);
    const iteration = parseIteration(query.get('iteration')!, max);
    if (typeof iteration === 'string') return apiError(400, iteration);
    const keys = chosen.flatMap((l) => [l.nodeId, ...l.body].map((nodeId) => ({ nodeId, iteration })));
    const docs = await findStepsByKey(run.runId, keys);
    return json({ iteration, iterations: max, steps: await Promise.all(docs.map(clientStep)) });
  },
});

export const loader = handle;
export const action = handle;

/** Loop nodes of a plan and their bodies. */
function loopsOf(plan: Plan): Array<{ nodeId: string; body: string[] }> {
  return plan.order
    .filter((id) => plan.nodes[id]?.kind === 'loop')
    .map((id) => ({ nodeId: id, body: plan.nodes[id].body ?? [] }));
}

/** Nodes that run outside every loop body: the ones with an iteration-0 step. */
function topLevelNodes(plan: Plan): string[] {
  const inBodies = new Set(Object.values(plan.nodes).flatMap((n) => n.body ?? []));
  return Object.keys(plan.nodes).filter((id) => !inBodies.has(id));
}

/** The `iteration` query value as a number from 1 to `max`, or the error message naming the field. */
function parseIteration(raw: string, max: number): number | string {
  if (max === 0) return 'iteration: the loop has no iterations yet.';
  const n = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max)
    return `iteration must be a whole number from 1 to ${max.toLocaleString('en-US')}, not "${raw}".`;
  return n;
}

async function summarize(runId: string, loop: { nodeId: string; body: string[] }): Promise<LoopSummary> {
  const [iterations, failed] = await Promise.all([
    countLoopIterations(runId, loop.nodeId),
    countFailedIterations(runId, loop.nodeId),
  ]);
  return { nodeId: loop.nodeId, iterations, failed, body: loop.body };
}
