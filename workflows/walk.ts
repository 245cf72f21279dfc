// Walking a graph: a node starts once all its incoming edges are resolved; if none fired it is skipped and its
// outgoing edges die. Independent branches run concurrently, and the first failure cancels the rest (fail fast).
// The run's top level is walked this way (workflows/interpreter.ts), and so is each iteration of a loop's body.
import { CancellationScope } from '@temporalio/workflow';
import type { RunError } from '../contracts/run-status';
import type { WorkflowStep } from '../contracts/step-record';
import type { GraphState } from './graph-state';
import type { ChainOutcome, NodeExecutor, NodeOutcome } from './node-execution';
import { pureChainFrom, startsChain } from './pure-chain';
import type { ReusedOutcomes } from './reuse';

export interface WalkResult {
  failure?: RunError;
  /** Some node was cancelled without a failure: a cancel request or the workflow's own cancellation. */
  interrupted: boolean;
}

/** Starts nodes: one by one, or a chain of pure nodes at once. */
interface Starter {
  node(id: string): void;
  chain(ids: string[]): void;
}

/** Outcomes of a pure chain evaluated before the walk (a loop's batch of iterations): the chain from `first`. */
export interface EvaluatedChain {
  first: string;
  outcomes: NodeOutcome[];
}

/**
 * Runs the graph until no node can start; stops starting nodes after the first failure. `start` is the output of
 * the graph's start node (the trigger, or in an iteration its item), completed by hand; without it, the start node
 * runs as a node (runs started before the trigger's step was recorded with the run). The chain from
 * `evaluated.first` takes the outcomes given instead of running; nodes they do not reach run as usual.
 */
export async function walk(
  graph: GraphState,
  executor: NodeExecutor,
  branches: CancellationScope,
  cancelRequested: () => boolean,
  start?: { output: unknown; port?: string },
  evaluated?: EvaluatedChain,
  reused?: ReusedOutcomes,
): Promise<WalkResult> {
  const running = new Map<string, Promise<NodeOutcome | ChainOutcome>>();
  let given = evaluated;
  const starter: Starter = {
    node: (id) => {
      graph.markStarted(id);
      running.set(
        id,
        branches.run(() => executor.execute(id)),
      );
    },
    // The whole chain shows as running until its outcomes arrive; nodes it did not reach go back to pending.
    chain: (ids) => {
      for (const id of ids) graph.markStarted(id);
      const outcomes = given?.first === ids[0] ? given.outcomes : undefined;
      if (outcomes) given = undefined;
      running.set(
        ids[0],
        outcomes
          ? Promise.resolve({ nodeId: ids[0], outcomes, unreached: ids.slice(outcomes.length) })
          : branches.run(() => executor.executeChain(ids)),
      );
    },
  };
  const result: WalkResult = { interrupted: false };
  const cancelledSteps: WorkflowStep[] = [];

  if (start) {
    graph.markStarted(graph.startId);
    graph.complete(graph.startId, start.output, 'succeeded', start.port);
    if (!cancelRequested()) await startReady(graph, executor, starter, reused);
  } else {
    starter.node(graph.startId);
  }
  while (running.size > 0) {
    const finished = await Promise.race(running.values());
    running.delete(finished.nodeId);
    for (const outcome of 'outcomes' in finished ? finished.outcomes : [finished]) {
      if (outcome.ok) {
        graph.complete(outcome.nodeId, outcome.output, outcome.status, outcome.port, outcome.portValues);
      } else {
        graph.fail(outcome.nodeId);
        if (outcome.cancelled) {
          result.interrupted = true;
          cancelledSteps.push(
            executor.record(graph.node(outcome.nodeId), {
              status: 'failed',
              error: outcome.error,
              endedAt: executor.now(),
            }),
          );
        } else if (!result.failure) {
          result.failure = outcome.error;
          branches.cancel(); // fail fast: in-flight siblings are cancelled, nothing new starts
        }
      }
    }
    if ('unreached' in finished) for (const id of finished.unreached) graph.release(id);
    if (!result.failure && !result.interrupted && !cancelRequested())
      await startReady(graph, executor, starter, reused);
  }
  if (cancelledSteps.length > 0) {
    // Only steps still marked running: a node that finished just before its cancel keeps its real result.
    await CancellationScope.nonCancellable(() =>
      executor.records.recordSteps(cancelledSteps.map((r) => ({ ...r, onlyIfRunning: true }))),
    );
  }
  return result;
}

/** Starts every ready node; nodes whose inputs are all dead are skipped, which may make more nodes ready. */
async function startReady(
  graph: GraphState,
  executor: NodeExecutor,
  start: Starter,
  reused?: ReusedOutcomes,
): Promise<void> {
  const skipped: WorkflowStep[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of graph.readyNodes()) {
      if (graph.allInputsDead(id)) {
        graph.skip(id);
        skipped.push(executor.record(graph.node(id), { status: 'skipped', endedAt: executor.now() }));
        changed = true;
      } else if (reused?.has(id)) {
        // Taken over from the run this one retries: its step is recorded already (workflows/reuse.ts).
        const taken = reused.get(id)!;
        graph.markStarted(id);
        graph.complete(id, taken.output, 'succeeded', taken.port);
        changed = true;
      } else if (startsChain(graph.node(id))) {
        start.chain(pureChainFrom(graph, id));
      } else {
        start.node(id);
      }
    }
  }
  if (skipped.length > 0) await executor.records.recordSteps(skipped);
}
