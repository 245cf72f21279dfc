// Loop nodes (nodes/loop-over-items, nodes/repeat-until): each iteration walks the loop's body as a graph of its own
// (GraphState.forIteration) in a cancellation scope of its own, and is recorded as steps of iteration k (1, 2, …):
// the loop node's step (L, k) holds the iteration's item and then its result; the body's nodes have steps (X, k).
// A Loop over items reads its items from the store a slice at a time and leaves collecting the results to the store
// (activities/loops.ts), so neither the workflow's memory nor its history grows with the number of items.
//
// A loop runs as a child workflow of the run (`runLoop`), so that its history is its own: before Temporal's history
// limits it drains the iterations in flight and continues as new from where it was, and the run's history only
// holds the child's start and result, however many iterations there are.
//
// A body that is one chain of pure nodes runs its iterations in batches: one local activity evaluates the chain for
// up to 50 iterations, in order, then each iteration walks its body with those outcomes, recorded as before.
import {
  CancellationScope,
  ContinueAsNew,
  continueAsNew,
  executeChild,
  isCancellation,
  patched,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { containsBlobRef } from '../contracts/blob-ref';
import type { RunError } from '../contracts/run-status';
import { applyDefaults, resolveParams } from '../ir/params';
import type { PlanNode } from '../ir/types';
import type { LoopPlan, NodeSpec } from '../nodes/define';
import { GraphState, type FiredRef } from './graph-state';
import type { RunGraphInput } from './messages';
import { NodeExecutor, type NodeOutcome } from './node-execution';
import { toRunError } from './run-errors';
import { batchedChain, evaluateBatch, ITERATIONS_PER_BATCH } from './loop-batches';
import { IterationEnds, runIteration, type IterationEnd } from './loop-iterations';

/** Items fetched from the store per `loopItems` call. */
const ITEMS_PER_SLICE = 100;
/** Finished iterations recorded per write. */
const ENDS_PER_WRITE = 50;

/**
 * Loops started before this change ran a pure body's chain once per iteration, as a local activity of its own,
 * and read every iteration's step back at their end to collect the results; they replay so.
 */
export const LOOP_BATCHES_AND_PARTS = 'loop-batches-and-result-parts';

/** Events after which a loop continues as new, unless Temporal suggests it earlier. */
export const LOOP_HISTORY_EVENTS = 10_000;

/** Where a continued loop picks up. */
export type LoopProgress =
  /** `parts`: results collected so far (absent for loops started before results were collected). */
  { kind: 'items'; next: number; count: number; parts?: number } | { kind: 'repeat'; k: number; current: unknown };

export interface LoopRunInput {
  run: RunGraphInput;
  loopId: string;
  /** The loop's input: the executions it comes from (`$input` of a Repeat until's first iteration is their value). */
  inputFrom: FiredRef[];
  input: unknown;
  /** Outputs of nodes outside the loop that workflow code in the body reads (`$node("…")`), by node id. */
  outside: Record<string, unknown>;
  /** Executions of the run's nodes outside the loop, by name, for `$node("…")` in activities. */
  outsideRefs: Record<string, { nodeId: string; iteration: number }>;
  startedAt: number;
  progress?: LoopProgress;
  /** Continue as new after this many history events (tests lower it). */
  historyEvents?: number;
}

export type LoopRunResult =
  | { ok: true; output: unknown; status: 'succeeded'; port: string | string[]; portValues?: Record<string, unknown> }
  | { ok: false; error: RunError; cancelled: boolean };

/** The run's side: the loop node starts its child workflow and waits for what it returns. */
export async function startLoop(ex: NodeExecutor, node: PlanNode): Promise<NodeOutcome> {
  const body = new Set(node.body ?? []);
  const outside: Record<string, unknown> = {};
  for (const id of [node.id, ...body]) {
    for (const name of nodeNamesIn(ex.graph.node(id).params)) {
      const ref = ex.graph.idOfName(name);
      if (ref !== undefined && !body.has(ref) && ref !== node.id && ex.graph.hasOutput(ref))
        outside[ref] = ex.graph.output(ref);
    }
  }
  const input: LoopRunInput = {
    run: ex.input,
    loopId: node.id,
    inputFrom: ex.graph.firedRefs(node.id),
    input: ex.graph.inputOf(node.id),
    outside,
    outsideRefs: ex.graph.executedRefs(),
    startedAt: ex.now(),
    ...(ex.input.limits?.loopHistoryEvents ? { historyEvents: ex.input.limits.loopHistoryEvents } : {}),
  };
  const result = await executeChild(runLoop, {
    workflowId: `${ex.input.runId}--loop-${node.id}`,
    taskQueue: ex.input.taskQueues.default,
    args: [input],
  });
  return { nodeId: node.id, ...result };
}

/** Names in `$node("Name")` / `$node('Name')` calls anywhere in a node's params. */
function nodeNamesIn(params: Record<string, unknown>): string[] {
  const text = JSON.stringify(params);
  const names = new Set<string>();
  for (const m of text.matchAll(/\$node\(\s*\\?["']((?:[^"'\\]|\\.)*?)\\?["']\s*\)/g)) names.add(m[1]);
  return [...names];
}

/** The child workflow of one loop node: runs its iterations, continuing as new before its history grows too long. */
export async function runLoop(input: LoopRunInput): Promise<LoopRunResult> {
  const graph = new GraphState(input.run.plan, 0, undefined, undefined, {
    outputs: input.outside,
    refs: input.outsideRefs,
  });
  const ex = new NodeExecutor(input.run, graph);
  const node = graph.node(input.loopId);
  try {
    const spec = ex.spec(node);
    if (spec.runtime.kind !== 'loop') throw ex.kindMismatch(node, spec);
    // How to iterate comes from params that cannot be expressions, checked by the compiler.
    const plan = spec.runtime.plan(applyDefaults(spec, node.params));
    return plan.kind === 'items'
      ? await itemsLoop(ex, node, plan, input)
      : await repeatLoop(ex, node, spec, plan, input);
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err; // how continuing as new ends this execution
    if (isCancellation(err)) return { ok: false, cancelled: true, error: cancelledError(node) };
    // The run fails with the error, as for any node; thrown on, it would only fail this workflow task again.
    return { ok: false, cancelled: false, error: toRunError(err, node) };
  }
}

function cancelledError(node: PlanNode): RunError {
  const message = `Node "${node.name}" (${node.id}) was cancelled before it finished`;
  return { message, nodeId: node.id, nodeName: node.name, code: 'cancelled' };
}

/**
 * Whether the loop should stop starting iterations and continue as new, checked before each iteration starts.
 * Local activities run inside one long workflow task, which Temporal writes to history only when the task
 * completes, so the history length the workflow sees lags behind what it has done: the estimate adds the events
 * the run's commands have made since that length last changed (deterministic: it counts commands, not time).
 */
class HistoryGauge {
  private lengthSeen = -1;
  private issuedThen = 0;

  constructor(
    private readonly ex: NodeExecutor,
    private readonly limit: number,
  ) {}

  full(): boolean {
    const info = workflowInfo();
    const issued = this.ex.eventsIssued();
    if (info.historyLength !== this.lengthSeen) {
      this.lengthSeen = info.historyLength;
      this.issuedThen = issued;
    }
    return info.continueAsNewSuggested || info.historyLength + (issued - this.issuedThen) >= this.limit;
  }
}

function loopFailure(node: PlanNode, k: number, error: RunError): RunError {
  // The run's error names the body node that failed; the message says in which iteration.
  return { ...error, message: `${error.message} (in iteration ${k} of "${node.name}")` };
}

async function itemsLoop(
  ex: NodeExecutor,
  node: PlanNode,
  plan: Extract<LoopPlan, { kind: 'items' }>,
  input: LoopRunInput,
): Promise<LoopRunResult> {
  const { startedAt } = input;
  const request = {
    runId: ex.input.runId,
    workflowId: ex.input.plan.workflowId,
    node,
    inputFrom: input.inputFrom,
    batchSize: plan.batchSize,
    startedAt,
  };
  const resumed = input.progress?.kind === 'items' ? input.progress : undefined;
  // Decided when the loop starts, and carried on by its continued executions (`parts`).
  const parts = resumed ? resumed.parts : patched(LOOP_BATCHES_AND_PARTS) ? 0 : undefined;
  const chain = parts === undefined ? undefined : batchedChain(ex, node);
  const gauge = new HistoryGauge(ex, input.historyEvents ?? LOOP_HISTORY_EVENTS);
  let next = resumed?.next ?? 0;
  const first = await ex.records.loopItems({ ...request, offset: next, limit: ITEMS_PER_SLICE });
  const count = first.count;
  let items = first.items;
  let sliceStart = next;
  // Every iteration runs in this scope: a failure that fails the loop cancels the iterations in flight.
  const iterations = new CancellationScope();
  // A batch's iterations run in a scope of its own, cancelled once they have all ended: a child scope stays
  // reachable from its parent, with all it ran, until the parent's cancellation settles.
  let batchScope: CancellationScope | undefined;
  const running = new Map<number, Promise<IterationEnd>>();
  const ends = new IterationEnds(ex, node, parts);
  let failure: { k: number; error: RunError } | undefined;
  let interrupted = false;
  let full = false;
  // A pure body's next batch starts once the last one has ended; other bodies keep `concurrency` iterations going.
  const mayStart = () => (chain ? running.size === 0 : running.size < plan.concurrency);
  for (;;) {
    while (next < count && mayStart() && !failure && !interrupted && !full) {
      if (gauge.full()) {
        full = true;
        break;
      }
      if (next >= sliceStart + items.length) {
        await ends.flush();
        items = (await ex.records.loopItems({ ...request, offset: next, limit: ITEMS_PER_SLICE })).items;
        sliceStart = next;
      }
      if (!chain) {
        const k = next + 1;
        const item = items[next - sliceStart];
        running.set(
          k,
          iterations.run(() => runIteration(ex, node, k, item)),
        );
        next++;
        continue;
      }
      const size = Math.min(ITERATIONS_PER_BATCH, sliceStart + items.length - next);
      const batch = Array.from({ length: size }, (_, i) => ({ k: next + i + 1, item: items[next - sliceStart + i] }));
      batchScope?.cancel();
      const scope = new CancellationScope({ cancellable: true, parent: iterations });
      batchScope = scope;
      let outcomes: NodeOutcome[][];
      try {
        outcomes = await scope.run(() => evaluateBatch(ex, node, chain, batch, !plan.continueOnItemFailure));
      } catch (err) {
        if (isCancellation(err)) interrupted = true;
        else failure = { k: batch[0].k, error: toRunError(err, ex.graph.node(chain[0])) };
        break;
      }
      for (const [i, chainOutcomes] of outcomes.entries()) {
        const { k, item } = batch[i];
        const evaluated = { first: chain[0], outcomes: chainOutcomes };
        running.set(
          k,
          scope.run(() => runIteration(ex, node, k, item, evaluated)),
        );
      }
      next += outcomes.length;
    }
    if (running.size === 0) break;
    const end = await Promise.race(running.values());
    running.delete(end.k);
    if (end.ok || plan.continueOnItemFailure || end.cancelled) ends.add(end);
    if (!end.ok && end.cancelled) interrupted = true;
    else if (!end.ok && !plan.continueOnItemFailure && !failure) {
      failure = { k: end.k, error: end.error };
      ends.add(end);
      iterations.cancel();
    }
    if (ends.size >= ENDS_PER_WRITE) await ends.flush();
  }
  await CancellationScope.nonCancellable(() => ends.flush());
  if (failure || interrupted) return stopped(ex, node, startedAt, failure);
  // Iterations in flight have all ended: the next run of this workflow starts a clean history where this one stops.
  if (full && next < count)
    return continueAsNew<typeof runLoop>({
      ...input,
      progress: { kind: 'items', next, count, ...(ends.parts === undefined ? {} : { parts: ends.parts }) },
    });
  const finished = await ex.records.finishLoop({
    runId: ex.input.runId,
    workflowId: ex.input.plan.workflowId,
    node,
    count,
    startedAt,
    ...(ends.parts === undefined ? {} : { parts: ends.parts }),
  });
  return {
    ok: true,
    output: finished.output,
    status: 'succeeded',
    port: finished.failedCount > 0 ? ['done', 'failed'] : ['done'],
    portValues: finished.output,
  };
}

/** A loop that stopped: an iteration failed (the run fails with its error), or the run is being cancelled. */
async function stopped(
  ex: NodeExecutor,
  node: PlanNode,
  startedAt: number,
  failure: { k: number; error: RunError } | undefined,
): Promise<LoopRunResult> {
  if (!failure) return { ok: false, cancelled: true, error: cancelledError(node) };
  const error = loopFailure(node, failure.k, failure.error);
  await CancellationScope.nonCancellable(() =>
    ex.records.recordSteps([ex.record(node, { status: 'failed', error, startedAt, endedAt: ex.now() })]),
  );
  return { ok: false, error, cancelled: false };
}

async function repeatLoop(
  ex: NodeExecutor,
  node: PlanNode,
  spec: NodeSpec,
  plan: Extract<LoopPlan, { kind: 'repeat' }>,
  input: LoopRunInput,
): Promise<LoopRunResult> {
  const until = spec.runtime.kind === 'loop' ? spec.runtime.until : undefined;
  if (!until) throw ex.kindMismatch(node, spec);
  const { startedAt } = input;
  const resumed = input.progress?.kind === 'repeat' ? input.progress : undefined;
  const gauge = new HistoryGauge(ex, input.historyEvents ?? LOOP_HISTORY_EVENTS);
  if (!resumed) await ex.records.recordSteps([ex.record(node, { status: 'running', input: input.input, startedAt })]);
  let current = resumed ? resumed.current : input.input;
  for (let k = resumed?.k ?? 1; ; k++) {
    if (gauge.full()) return continueAsNew<typeof runLoop>({ ...input, progress: { kind: 'repeat', k, current } });
    // The iteration's input is recorded first: the body's first nodes read it as the loop's output.
    const iterationStart = ex.now();
    const own = ex.forIteration(ex.graph.forIteration(node.id, k));
    await ex.records.recordSteps([
      own.record(node, { status: 'running', input: current, output: current, startedAt: iterationStart }),
    ]);
    const end = await runIteration(ex, node, k, current);
    await ex.records.recordSteps([{ ...end.step, startedAt: iterationStart }]);
    if (!end.ok) return stopped(ex, node, startedAt, end.cancelled ? undefined : { k, error: end.error });
    if (containsBlobRef(end.result))
      throw new Error(
        `iteration ${k} produced a result over 256 KB, which the condition cannot check; keep only what the condition needs (Set fields) before "Loop end"`,
      );
    const met = until(await resolveParams(spec, node.params, ex.scope(end.result)));
    if (met || k >= plan.maxIterations) {
      await ex.records.recordSteps([
        ex.record(node, { status: 'succeeded', input: input.input, output: end.result, startedAt, endedAt: ex.now() }),
      ]);
      return { ok: true, output: end.result, status: 'succeeded', port: met ? 'done' : 'maxReached' };
    }
    if (plan.delayMs > 0) await sleep(plan.delayMs); // a durable timer: survives worker restarts
    current = end.result;
  }
}
