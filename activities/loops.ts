// The store side of a Loop over items (workflows/loops.ts): its items come out of the store a slice at a time, so
// the workflow never holds (or records in its history) the whole list, and the collected results go back into the
// store at the end, read from the iterations' step records. Iteration k (1, 2, …) of loop node L is the step
// (L, k): its input is the item (or batch), its output first the item (what the body's first nodes read), then
// the iteration's result.
import type { RunError, StepStatus } from '../contracts/run-status';
import type { PlanNode } from '../ir/types';
import type { ActivityDeps } from './deps';
import { mapLimit } from '../contracts/map-limit';
import { emitEvent } from './live-events';
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
}

export interface FinishLoopResult {
  /** `{ done, failed }` as the loop's step holds it: each part a value or a blob reference. */
  output: { done: unknown; failed: unknown };
  failedCount: number;
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

  async function loopItems(req: LoopItemsInput): Promise<LoopItemsResult> {
    const { runId, node } = req;
    const loaded = await loadInput(store, runId, req.inputFrom);
    const { count, slice } = loopBatches(loaded.value, req.batchSize, req.offset, req.limit);
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

  async function finishLoop(req: FinishLoopInput): Promise<FinishLoopResult> {
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

  return { loopItems, finishLoop };
}
