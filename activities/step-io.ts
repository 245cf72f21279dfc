// Reading node values back from step records: a node's input, `$node("Name")` and `$trigger` are
// looked up here instead of travelling through Temporal history with every activity.
import type { BlobRef } from '../contracts/blob-ref';
import type { Store } from '../db/store';
import type { StepDoc } from '../db/steps';
import type { ExpressionScope } from '../ir/expression';
import type { PlanNode } from '../ir/types';
import { resumeUrl } from '../db/resume-links';

/** The part of the store step values are read from. */
export type StepSource = Pick<Store, 'steps' | 'blobs'>;

/** Names one node execution whose output feeds another node. */
export interface StepRef {
  nodeId: string;
  iteration: number;
  /** For nodes whose outputs differ (a loop's `done` and `failed`): the output, a field of the stored value. */
  port?: string;
}

/** The part of a stored output one port carries. */
function portPart(value: unknown, port: string | undefined): unknown {
  return port === undefined ? value : (value as Record<string, unknown> | null)?.[port];
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
  const stored = docs.map((d, i) => portPart(JSON.parse(d!.output!), from[i].port));
  const value = await Promise.all(docs.map(async (d, i) => portPart(await outputOf(store, d, seen), from[i].port)));
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
  /** The run's Wait node ids by name; sent only when the params use `$resumeUrl(…)`. */
  waitNodes?: Record<string, string>;
}

/** `$resumeUrl("Name")`: the signed resume link of the run's Wait node of that name (db/resume-links.ts). */
export function resumeUrlOf(runId: string, waitNodes: Record<string, string> | undefined) {
  return (nodeName: string): string => {
    const nodeId =
      waitNodes && Object.prototype.hasOwnProperty.call(waitNodes, nodeName) ? waitNodes[nodeName] : undefined;
    if (nodeId === undefined) throw new Error(`$resumeUrl("${nodeName}"): this workflow has no Wait node of that name`);
    return resumeUrl(runId, nodeId);
  };
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
    resumeUrl: resumeUrlOf(runId, source.waitNodes),
  };
}
