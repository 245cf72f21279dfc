// The one generic workflow: walks a pinned plan. A node runs once all its incoming edges are resolved;
// if none fired it is skipped and its outgoing edges die. Independent branches run concurrently, and the
// first failure cancels the rest (fail fast).
//
// Determinism: no I/O, clocks or randomness outside Temporal's APIs (Date.now() here is workflow time;
// steps are timed with `NodeExecutor.now`).
// A change to how existing plans are walked must be guarded with `patched('<change-id>')` so runs already
// in flight replay the old way; workflows/replay.test.ts replays recorded histories to catch mistakes.
import { CancellationScope, isCancellation, patched, setHandler } from '@temporalio/workflow';
import { GraphState } from './graph-state';
import { cancelSignal, progressQuery, type RunGraphInput, type RunGraphResult } from './messages';
import type { RunError } from '../contracts/run-status';
import { NodeExecutor, type ChainOutcome, type NodeOutcome } from './node-execution';
import { pureChainFrom, startsChain } from './pure-chain';
import type { WorkflowStep } from '../contracts/step-record';

// Runs before this change recorded the trigger's step in a local activity of its own, after the run's start.
const RUN_START_RECORDS_TRIGGER = 'run-start-records-trigger';

export async function runGraph(input: RunGraphInput): Promise<RunGraphResult> {
  const { runId, plan } = input;
  const graph = new GraphState(plan);
  const executor = new NodeExecutor(input, graph);
  // Node executions run in their own scope so that a failure or a cancel request stops them all at once.
  const branches = new CancellationScope();
  let cancelReason: string | undefined;

  setHandler(progressQuery, () => ({ steps: graph.snapshot() }));
  setHandler(cancelSignal, (reason) => {
    cancelReason ??= reason || 'cancelled on request';
    branches.cancel();
  });

  const runRecord = { runId, workflowId: plan.workflowId, planHash: plan.hash };
  let result: RunGraphResult;
  try {
    // The trigger's step is written with the run's start, in one local activity instead of two.
    const triggerRecorded = patched(RUN_START_RECORDS_TRIGGER);
    await executor.records.recordRunStatus({
      ...runRecord,
      status: 'running',
      ...(triggerRecorded ? { steps: [executor.triggerStep()] } : {}),
    });
    const walked = await walk(graph, executor, branches, () => cancelReason !== undefined, triggerRecorded);
    if (walked.failure) result = { status: 'failed', output: null, error: walked.failure };
    else if (cancelReason !== undefined || walked.interrupted) result = cancelledResult(cancelReason);
    else result = { status: 'succeeded', output: graph.sinkOutputs() };
  } catch (err) {
    // The whole workflow was cancelled (a client called `handle.cancel()`).
    if (!isCancellation(err)) throw err;
    result = cancelledResult(cancelReason);
  }
  await CancellationScope.nonCancellable(() =>
    executor.records.recordRunStatus({
      ...runRecord,
      status: result.status,
      output: result.output,
      error: result.error,
    }),
  );
  return result;
}

function cancelledResult(reason: string | undefined): RunGraphResult {
  return {
    status: 'cancelled',
    output: null,
    error: { message: `Run cancelled: ${reason ?? 'the workflow was cancelled'}`, code: 'cancelled' },
  };
}

interface WalkResult {
  failure?: RunError;
  /** Some node was cancelled without a failure: a cancel request or the workflow's own cancellation. */
  interrupted: boolean;
}

/** Starts nodes: one by one, or a chain of pure nodes at once. */
interface Starter {
  node(id: string): void;
  chain(ids: string[]): void;
}

/** Runs the graph until no node can start; stops starting nodes after the first failure. */
async function walk(
  graph: GraphState,
  executor: NodeExecutor,
  branches: CancellationScope,
  cancelRequested: () => boolean,
  triggerRecorded: boolean,
): Promise<WalkResult> {
  const running = new Map<string, Promise<NodeOutcome | ChainOutcome>>();
  const start: Starter = {
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
      running.set(
        ids[0],
        branches.run(() => executor.executeChain(ids)),
      );
    },
  };
  const result: WalkResult = { interrupted: false };
  const cancelledSteps: WorkflowStep[] = [];

  if (triggerRecorded) {
    graph.markStarted(graph.triggerId);
    graph.complete(graph.triggerId, executor.triggerOutput(), 'succeeded');
    if (!cancelRequested()) await startReady(graph, executor, start);
  } else {
    start.node(graph.triggerId);
  }
  while (running.size > 0) {
    const finished = await Promise.race(running.values());
    running.delete(finished.nodeId);
    for (const outcome of 'outcomes' in finished ? finished.outcomes : [finished]) {
      if (outcome.ok) {
        graph.complete(outcome.nodeId, outcome.output, outcome.status, outcome.port);
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
    if (!result.failure && !result.interrupted && !cancelRequested()) await startReady(graph, executor, start);
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
async function startReady(graph: GraphState, executor: NodeExecutor, start: Starter): Promise<void> {
  const skipped: WorkflowStep[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of graph.readyNodes()) {
      if (graph.allInputsDead(id)) {
        graph.skip(id);
        skipped.push(executor.record(graph.node(id), { status: 'skipped', endedAt: executor.now() }));
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
