// Loop bodies that are one chain of pure nodes (workflows/loops.ts): one local activity evaluates the chain for a
// batch of iterations, in order (activities/loops.ts `runPureIterations`); each iteration then walks its body with
// those outcomes (workflows/walk.ts `evaluated`), so its steps are recorded as when it ran alone.
import type { PlanNode } from '../ir/types';
import { registry } from '../nodes/index';
import type { NodeExecutor, NodeOutcome } from './node-execution';
import { outcomeOf, pureChainFrom, startsChain } from './pure-chain';

/** Iterations of a pure body evaluated per local activity (a batch never spans two slices of items). */
export const ITERATIONS_PER_BATCH = 50;

/**
 * The body's nodes, in order, when they form one path of nodes that run in chains (pure, or local with their
 * params): the walk then runs the whole body as one chain, which a batch can evaluate for many iterations.
 */
function pureBodyPath(ex: NodeExecutor, node: PlanNode): string[] | undefined {
  const body = new Set(node.body ?? []);
  const graph = ex.graph.forIteration(node.id, 1);
  const path: string[] = [];
  for (let id = graph.soleSuccessor(node.id); id !== undefined && body.has(id); id = graph.soleSuccessor(id)) {
    const n = graph.node(id);
    const runtime = registry.get(n.type, n.version)?.runtime;
    const local = runtime?.kind === 'activity' && (runtime.pure === true || runtime.localWhen?.(n.params) === true);
    if (n.kind !== 'activity' || !local) return undefined;
    path.push(id);
  }
  return path.length > 0 && path.length === body.size ? path : undefined;
}

/** The chain to evaluate in batches: the body's path, as the walk would chain it (with the patches of this run). */
export function batchedChain(ex: NodeExecutor, node: PlanNode): string[] | undefined {
  const path = pureBodyPath(ex, node);
  if (!path) return undefined;
  const graph = ex.graph.forIteration(node.id, 1);
  const chain = startsChain(graph.node(path[0])) ? pureChainFrom(graph, path[0]) : [];
  return chain.length === path.length ? chain : undefined;
}

/**
 * Evaluates the body's `chain` for the iterations of `batch`, in order, in one local activity. Returns the
 * outcomes of the iterations evaluated: the first ones, when it stopped at a failure (`stopAtFailure`) or its
 * budget.
 */
export async function evaluateBatch(
  ex: NodeExecutor,
  node: PlanNode,
  chain: string[],
  batch: Array<{ k: number; item: unknown }>,
  stopAtFailure: boolean,
): Promise<NodeOutcome[][]> {
  const nodes = chain.map((id) => ex.graph.node(id));
  const readsNodes = nodes.some((n) => JSON.stringify(n.params).includes('$node'));
  const readsWaits = nodes.some((n) => JSON.stringify(n.params).includes('$resumeUrl'));
  const iterations = batch.map(({ k, item }) => {
    // As the iteration's walk will see it once its start has given the item.
    const graph = ex.graph.forIteration(node.id, k);
    graph.complete(node.id, item, 'succeeded', 'body');
    return {
      iteration: k,
      inputFrom: graph.firedRefs(chain[0]),
      ...(readsNodes ? { nodeRefs: graph.executedRefs() } : {}),
    };
  });
  const { results, finishedAt } = await ex.records.runPureIterations({
    runId: ex.input.runId,
    workflowId: ex.input.plan.workflowId,
    triggerNodeId: ex.input.plan.triggerId,
    nodes,
    iterations,
    stopAtFailure,
    ...(readsWaits ? { waitNodes: ex.graph.waitNodes() } : {}),
  });
  ex.chainsEnded(finishedAt);
  return results.map((chainResults) => chainResults.map((result, i) => outcomeOf(nodes[i], result)));
}
