// Reading node values back from step records: a node's input, `$node("Name")` and `$trigger` are
// looked up here instead of travelling through Temporal history with every activity.
import type { BlobRef } from '../contracts/blob-ref';
import type { Store } from '../db/store';
import type { StepDoc } from '../db/steps';
import type { ExpressionScope } from '../ir/expression';
import type { PlanNode } from '../ir/types';

/** The part of the store step values are read from. */
export type StepSource = Pick<Store, 'steps' | 'blobs'>;

/** Names one node execution whose output feeds another node. */
export interface StepRef {
  nodeId: string;
  iteration: number;
}

export interface LoadedInput {
  /** As stored: large parts still BlobRefs. Recorded as the step's input. */
  stored: unknown;
  /** Fully materialized, for the runner and expressions. */
  value: unknown;
}

async function outputOf(store: StepSource, doc: StepDoc | undefined, seen?: Map<object, BlobRef>): Promise<unknown> {
  if (doc?.output === undefined) return undefined;
  const parsed: unknown = JSON.parse(doc.output);
  return doc.output.includes('"$batonBlob"') ? store.blobs.resolveBlobRefs(parsed, doc.runId, seen) : parsed;
}

/**
 * The outputs of `from`, in order, as stored and materialized. `seen` collects the stored objects read
 * from blobs (see blob-store `restoreBlobRefs`).
 */
export async function loadOutputs(
  store: StepSource,
  runId: string,
  from: StepRef[],
  seen?: Map<object, BlobRef>,
): Promise<{ stored: unknown[]; value: unknown[] }> {
  const docs = await Promise.all(from.map((ref) => store.steps.findStep(runId, ref.nodeId, ref.iteration)));
  docs.forEach((doc, i) => {
    if (doc?.output === undefined) {
      throw new Error(`Input from node ${from[i].nodeId} is missing in run ${runId}: its step record has no output.`);
    }
  });
  const stored = docs.map((d) => JSON.parse(d!.output!) as unknown);
  const value = await Promise.all(docs.map((d) => outputOf(store, d, seen)));
  return { stored, value };
}

/** One upstream output is the input itself; several (edges joined without a Merge) form an array in edge order. */
export async function loadInput(store: StepSource, runId: string, from: StepRef[]): Promise<LoadedInput> {
  const { stored, value } = await loadOutputs(store, runId, from);
  return from.length === 1 ? { stored: stored[0], value: value[0] } : { stored, value };
}

/**
 * `$node("Name")`: the output of that node's execution the workflow names in `refs` (the latest one),
 * including a continue-on-fail error output.
 */
export async function loadNodeOutput(
  store: StepSource,
  runId: string,
  nodeName: string,
  refs: Record<string, StepRef> = {},
): Promise<unknown> {
  const ref = Object.prototype.hasOwnProperty.call(refs, nodeName) ? refs[nodeName] : undefined;
  const doc = ref && (await store.steps.findStep(runId, ref.nodeId, ref.iteration));
  if (doc?.output === undefined) {
    throw new Error(
      `$node("${nodeName}") has no output in this run: the node does not exist, has not run before this one, or was skipped.`,
    );
  }
  return outputOf(store, doc);
}

export async function loadTriggerPayload(store: StepSource, runId: string, triggerNodeId: string): Promise<unknown> {
  return outputOf(store, await store.steps.findStep(runId, triggerNodeId, 0));
}

/** What an activity needs to know to evaluate a node's expressions. */
export interface ExpressionSource {
  runId: string;
  workflowId: string;
  triggerNodeId: string;
  node: PlanNode;
  /** Executions of the nodes that have run so far, by name; sent only when the params use `$node(…)`. */
  nodeRefs?: Record<string, StepRef>;
}

/** The scope of a node's expressions in an activity; `$trigger` is read only when the params mention it. */
export async function expressionScope(
  store: StepSource,
  source: ExpressionSource,
  input: unknown,
): Promise<ExpressionScope> {
  const { runId, workflowId, triggerNodeId, node, nodeRefs } = source;
  const mentionsTrigger = JSON.stringify(node.params).includes('$trigger');
  return {
    input,
    trigger: mentionsTrigger ? await loadTriggerPayload(store, runId, triggerNodeId) : undefined,
    node: (name: string) => loadNodeOutput(store, runId, name, nodeRefs),
    run: { id: runId, workflowId },
  };
}
