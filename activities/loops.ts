// The store side of a Loop over items (workflows/loops.ts): its items come out of the store a slice at a time, so
// the workflow never holds (or records in its history) the whole list, and the collected results go back into the
// store at the end, read from the iterations' step records. Iteration k (1, 2, …) of loop node L is the step
// (L, k): its input is the item (or batch), its output first the item (what the body's first nodes read), then
// the iteration's result. A body that is one chain of pure nodes runs many iterations per local activity
// (`runPureIterations`), each recorded as when it ran alone.
import type { BlobRef } from '../contracts/blob-ref';
import type { RunError, StepStatus } from '../contracts/run-status';
import type { PlanNode } from '../ir/types';
import { goesOnAfterFailure } from '../nodes/ports';
import type { ActivityDeps } from './deps';
import { mapLimit } from '../contracts/map-limit';
import { emitEvent } from './live-events';
import { LoopInputs } from './loop-inputs';
import {
  budgetSpent,
  chainBudget,
  evaluateChain,
  nextMillisecond,
  writeChainSteps,
  type EvaluatedNode,
  type PureNodeResult,
  type RunPureChainInput,
} from './run-pure-chain';
import { loadInput, type StepRef } from './step-io';

export interface LoopItemsInput {
  runId: string;
  workflowId: string;
  node: PlanNode;
  /** The executions forming the loop's input (as for `runNode`). */
  inputFrom: StepRef[];
  batchSize: number;
  /** Iterations to prepare: from `offset` (0-based), at most `limit`. */
  offset: number;
  limit: number;
  /** Workflow time the loop started; with offset 0 the loop's own step (L, 0) is written as running. */
  startedAt: number;
}

export interface LoopItemsResult {
  /** Iterations in all: one per batch of `batchSize` items (an input that is not a list is one item). */
  count: number;
  /** The items of the iterations prepared, each a value or, over 256 KB, a blob reference. */
  items: unknown[];
}

export interface FinishLoopInput {
  runId: string;
  workflowId: string;
  node: PlanNode;
  count: number;
  startedAt: number;
  /** How many parts `collectLoopResults` stored; absent, the results are read from every iteration's step. */
  parts?: number;
}

/** One finished iteration: its result, or the item and error of an iteration that failed (with "go on"). */
export type LoopResultEntry =
  | [iteration: number, kind: 'done', result: unknown]
  | [iteration: number, kind: 'failed', failure: { item: unknown; error: { message: string; code?: string } }];

export interface CollectLoopResultsInput {
  runId: string;
  nodeId: string;
  /** 0, 1, … in the order the loop writes them, across its continued executions. */
  part: number;
  entries: LoopResultEntry[];
}

export interface FinishLoopResult {
  /** `{ done, failed }` as the loop's step holds it: each part a value or a blob reference. */
  output: { done: unknown; failed: unknown };
  failedCount: number;
}

export interface RunPureIterationsInput extends Omit<RunPureChainInput, 'inputFrom' | 'nodeRefs' | 'iteration'> {
  /** The iterations to evaluate the chain for, in order: each with the executions forming its first input. */
  iterations: Array<{ iteration: number; inputFrom: StepRef[]; nodeRefs?: Record<string, StepRef> }>;
  /** Evaluate no iteration after one whose chain failed for good (a node failed that does not go on). */
  stopAtFailure: boolean;
}

export interface RunPureIterationsResult {
  /**
   * Per iteration evaluated, in order, what `runPureChain` returns for it. The first iterations only, when the
   * batch stopped at a failure or at the chain budget (the last one may then have stopped inside its chain).
   */
  results: PureNodeResult[][];
  finishedAt: number;
}

/** The iterations of a loop over `value`: its items, in batches when `batchSize` > 1. */
export function loopBatches(value: unknown, batchSize: number, offset: number, limit: number) {
  const items = Array.isArray(value) ? value : [value];
  const count = Math.ceil(items.length / batchSize);
  const slice: unknown[] = [];
  for (let k = offset; k < Math.min(count, offset + limit); k++) {
    slice.push(batchSize === 1 ? items[k] : items.slice(k * batchSize, (k + 1) * batchSize));
  }
  return { count, slice };
}

export function createLoopActivities(deps: ActivityDeps) {
  const { store } = deps;

  /** The live event of the loop's own step (L, 0). */
  const loopEvent = (req: { runId: string; workflowId: string; node: PlanNode }, status: StepStatus, at: Date) =>
    emitEvent(deps, {
      kind: 'step',
      runId: req.runId,
      workflowId: req.workflowId,
      nodeId: req.node.id,
      nodeName: req.node.name,
      iteration: 0,
      status,
      attempt: 1,
      at: at.toISOString(),
    });

  const inputs = new LoopInputs();

  async function loopItems(req: LoopItemsInput): Promise<LoopItemsResult> {
    const { runId, node } = req;
    const loaded = await inputs.get(runId, req.inputFrom, () => loadInput(store, runId, req.inputFrom));
    const { count, slice } = loopBatches(loaded.value, req.batchSize, req.offset, req.limit);
    if (req.offset + req.limit >= count) inputs.forget(runId, req.inputFrom);
    const base = { runId, nodeId: node.id, nodeName: node.name, type: node.type, attempt: 1 };
    if (req.offset === 0) {
      const input = await store.blobs.encodeValue(loaded.stored, { runId, nodeId: node.id, field: 'input' });
      const applied = await store.steps.recordStep(
        { ...base, iteration: 0, status: 'running', input: input.json, startedAt: new Date(req.startedAt) },
        { onlyIfStatus: ['pending', 'running'] },
      );
      if (applied) await loopEvent(req, 'running', deps.now());
    }
    const now = deps.now();
    const encoded = await mapLimit(slice, 8, (item, i) =>
      store.blobs.encodeValue(item, { runId, nodeId: node.id, field: `item-${req.offset + i + 1}` }),
    );
    // Inserted as finished units: a retry of this slice (after a crash) replaces what it wrote before.
    await store.steps.recordFinishedSteps(
      encoded.map((e, i) => ({
        ...base,
        iteration: req.offset + i + 1,
        status: 'running',
        input: e.json,
        output: e.json,
        outputSize: e.bytes,
        startedAt: now,
      })),
    );
    return { count, items: encoded.map((e, i) => e.ref ?? slice[i] ?? null) };
  }

  /** Stores one part of a loop's results, as the loop writes its finished iterations. */
  async function collectLoopResults(req: CollectLoopResultsInput): Promise<void> {
    const { runId, nodeId, part } = req;
    const encoded = await store.blobs.encodeValue(req.entries, { runId, nodeId, field: `results-${part}` });
    await store.loopResults.saveLoopResults(runId, nodeId, part, encoded.json);
  }

  /** The results `collectLoopResults` stored, in iteration order. */
  async function collectedResults(req: FinishLoopInput & { parts: number }) {
    const texts = await store.loopResults.readLoopResults(req.runId, req.node.id, req.parts);
    const parts = await mapLimit(texts, 8, async (text) => {
      const stored = JSON.parse(text) as LoopResultEntry[] | BlobRef;
      // A part is a list; one over the blob threshold was stored as a reference to it.
      return Array.isArray(stored) ? stored : ((await store.blobs.readBlob(stored)) as LoopResultEntry[]);
    });
    const entries = parts.flat().sort((a, b) => a[0] - b[0]);
    if (entries.length !== req.count)
      throw new Error(`Loop "${req.node.name}": ${entries.length} of its ${req.count} iterations have a stored result`);
    const done: unknown[] = [];
    const failed: Array<{ item: unknown; error: RunError | undefined }> = [];
    for (const entry of entries) {
      if (entry[1] === 'done') done.push(entry[2]);
      else failed.push(entry[2] as { item: unknown; error: RunError | undefined });
    }
    return { done, failed };
  }

  async function finishLoop(req: FinishLoopInput): Promise<FinishLoopResult> {
    const { runId, node } = req;
    const { done, failed } =
      req.parts === undefined ? await resultsFromSteps(req) : await collectedResults({ ...req, parts: req.parts });
    const doneValue = await store.blobs.encodeValue(done, { runId, nodeId: node.id, field: 'done' });
    const failedValue = await store.blobs.encodeValue(failed, { runId, nodeId: node.id, field: 'failed' });
    const outputJson = `{"done":${doneValue.json},"failed":${failedValue.json}}`;
    const endedAt = deps.now();
    await store.steps.recordStep({
      runId,
      nodeId: node.id,
      nodeName: node.name,
      type: node.type,
      iteration: 0,
      attempt: 1,
      status: 'succeeded',
      output: outputJson,
      outputSize: Buffer.byteLength(outputJson),
      endedAt,
      durationMs: endedAt.getTime() - req.startedAt,
    });
    await loopEvent(req, 'succeeded', endedAt);
    return {
      output: { done: doneValue.ref ?? done, failed: failedValue.ref ?? failed },
      failedCount: failed.length,
    };
  }

  /**
   * The chain of a loop's body (all its nodes) for several iterations, one after another, under one chain budget:
   * every step is written as `runPureChain` writes it, all in one insert. The inputs are read up front.
   */
  async function runPureIterations(req: RunPureIterationsInput): Promise<RunPureIterationsResult> {
    const { iterations, ...chain } = req;
    const inputs = await mapLimit(iterations, 8, (it) => loadInput(store, req.runId, it.inputFrom));
    const budget = chainBudget(deps);
    const results: PureNodeResult[][] = [];
    const done: EvaluatedNode[] = [];
    for (const [i, it] of iterations.entries()) {
      const evaluated = await evaluateChain(
        deps,
        { ...chain, inputFrom: it.inputFrom, nodeRefs: it.nodeRefs, iteration: it.iteration },
        { budget, after: done.at(-1)?.step.startedAt, input: inputs[i] },
      );
      done.push(...evaluated);
      results.push(evaluated.map((e) => e.result));
      const failed = evaluated.some((e, n) => e.result.error && !goesOnAfterFailure(req.nodes[n].policy));
      if ((failed && req.stopAtFailure) || budgetSpent(deps, budget)) break;
    }
    await writeChainSteps(deps, req.workflowId, done);
    await nextMillisecond(deps, done.at(-1)?.step.startedAt);
    return { results, finishedAt: deps.now().getTime() };
  }

  /** The results of loops started before `collectLoopResults`: read back from every iteration's step record. */
  async function resultsFromSteps(req: FinishLoopInput) {
    const { runId, node } = req;
    const done: unknown[] = [];
    const failed: Array<{ item: unknown; error: RunError | undefined }> = [];
    // Read in pages by `_id`, which every backend answers without a scan.
    const PAGE = 200;
    for (let from = 1; from <= req.count; from += PAGE) {
      const keys = [];
      for (let k = from; k < Math.min(req.count + 1, from + PAGE); k++) keys.push(k);
      const docs = await mapLimit(keys, 8, (k) => store.steps.findStep(runId, node.id, k));
      for (const [i, doc] of docs.entries()) {
        if (!doc) throw new Error(`Loop "${node.name}": iteration ${keys[i]} has no step record`);
        const parse = (json: string | undefined) => (json === undefined ? null : (JSON.parse(json) as unknown));
        if (doc.status === 'failed') {
          failed.push({ item: parse(doc.input), error: doc.error as RunError | undefined });
        } else {
          done.push(parse(doc.output));
        }
      }
    }
    return { done, failed };
  }

  return { loopItems, finishLoop, collectLoopResults, runPureIterations };
}
