// A linear chain of pure nodes (nodes/define.ts `pure`, and nodes that may run locally, `localWhen`) as one local
// activity: the chain's input is read once,
// each node is evaluated in turn with the activity's expression budget, and then every step is written and its
// live events emitted. Each step keeps its own input, output and timings, as if it had run as an activity.
// See docs/decisions/027-pure-chains.md.
import { failureOutput, goesOnAfterFailure } from '../nodes/ports';
import { Context } from '@temporalio/activity';
import type { RunEvent } from '../contracts/live-events';
import type { StepRecord } from '../contracts/step-record';
import type { ExpressionScope } from '../ir/expression';
import { resolveParams } from '../ir/params';
import type { PlanNode } from '../ir/types';
import type { ActivityDeps } from './deps';
import { emitEvent } from './live-events';
import { describeNodeError } from './node-errors';
import { runContext } from './run-context';
import { tagRulesAsParams, tagRun } from './run-tags';
import { loadInput, loadNodeOutput, loadTriggerPayload, resumeUrlOf, type LoadedInput, type StepRef } from './step-io';

export interface RunPureChainInput {
  runId: string;
  workflowId: string;
  triggerNodeId: string;
  /** The chain in order: each node after the first has the one before it as its only input. */
  nodes: PlanNode[];
  /** The executions whose outputs form the first node's input (see step-io `loadInput`). */
  inputFrom: StepRef[];
  /** Executions of the nodes that ran before the chain, by name; sent only when the params use `$node(…)`. */
  nodeRefs?: Record<string, StepRef>;
  /** The run's Wait node ids by name; sent only when the params use `$resumeUrl(…)`. */
  waitNodes?: Record<string, string>;
  /** The loop iteration the chain runs in (absent: 0, outside any loop). */
  iteration?: number;
}

export interface PureNodeResult {
  /** The output (a BlobRef over the blob threshold); after a failure, the continue-on-fail error output or null. */
  output: unknown;
  /** Set when the node failed. */
  error?: { message: string; code: string };
}

export interface RunPureChainResult {
  /**
   * One per node evaluated, in chain order. Shorter than the chain after a failure without continue-on-fail,
   * or when the chain stopped at its result or time budget; the workflow then starts the rest as a new chain.
   */
  results: PureNodeResult[];
  /** Epoch ms, later than the start of every node evaluated: steps recorded after the chain start no earlier. */
  finishedAt: number;
}

// The results travel in one Temporal payload (2 MB at most). Past this many bytes of outputs the chain stops;
// each output is at most the blob threshold (256 KB), so the payload stays well under the limit.
const RESULT_BUDGET_BYTES = 1024 * 1024;
// A local activity holds its workflow task open, so a cancel request or another branch's result waits for it.
const TIME_BUDGET_MS = 2_000;

export interface EvaluatedNode {
  step: StepRecord;
  result: PureNodeResult;
  /** The value the next node receives as its input, as it would read it back from the step record. */
  next?: { json: string; value: unknown };
}

export function createRunPureChain(deps: ActivityDeps) {
  return async function runPureChain(req: RunPureChainInput): Promise<RunPureChainResult> {
    const done = await evaluateChain(deps, req);
    await writeChainSteps(deps, req.workflowId, done);
    await nextMillisecond(deps, done.at(-1)?.step.startedAt);
    return { results: done.map((d) => d.result), finishedAt: deps.now().getTime() };
  };
}

/** What chains evaluated one after another may still spend (a loop's batch of iterations shares one). */
export interface ChainBudget {
  /** Epoch ms after which no further node starts. */
  deadline: number;
  resultBytes: number;
}

export function chainBudget(deps: ActivityDeps): ChainBudget {
  return { deadline: deps.now().getTime() + TIME_BUDGET_MS, resultBytes: 0 };
}

export function budgetSpent(deps: ActivityDeps, budget: ChainBudget): boolean {
  return budget.resultBytes >= RESULT_BUDGET_BYTES || deps.now().getTime() >= budget.deadline;
}

/**
 * Evaluates the chain's nodes in turn and writes nothing: the nodes reached, each with its step and result.
 * `after` is the start of a step evaluated just before (in a batch), which the first node starts after.
 */
export async function evaluateChain(
  deps: ActivityDeps,
  req: RunPureChainInput,
  opts: { budget?: ChainBudget; after?: Date; input?: LoadedInput } = {},
): Promise<EvaluatedNode[]> {
  const { runId, nodes } = req;
  const loaded = opts.input ?? (await loadInput(deps.store, runId, req.inputFrom));
  const stored = await deps.store.blobs.encodeValue(loaded.stored, { runId, nodeId: nodes[0].id, field: 'input' });
  const scope = chainScope(deps, req);
  const budget = opts.budget ?? chainBudget(deps);
  const done: EvaluatedNode[] = [];
  let input: { json: string; value: unknown } | undefined = { json: stored.json, value: loaded.value };
  for (const node of nodes) {
    if (!input) break;
    await nextMillisecond(deps, done.at(-1)?.step.startedAt ?? opts.after);
    const evaluated = await evaluateNode(deps, req, node, input, scope);
    done.push(evaluated);
    scope.remember(node.name, evaluated.next?.value);
    input = evaluated.next;
    budget.resultBytes += Buffer.byteLength(evaluated.step.output ?? '');
    if (budgetSpent(deps, budget)) break;
  }
  return done;
}

/** Writes the steps of evaluated nodes, then emits their live events. */
export async function writeChainSteps(deps: ActivityDeps, workflowId: string, done: EvaluatedNode[]): Promise<void> {
  // Steps first: a browser that sees an event may fetch the step it announces.
  await deps.store.steps.recordFinishedSteps(done.map(({ step }) => step));
  // Appended without waiting in between: the store's writer keeps their order and sends them in one write.
  await Promise.all(done.flatMap(({ step }) => stepEvents(workflowId, step).map((e) => emitEvent(deps, e))));
}

/**
 * Waits, if need be, until the clock has passed `previous`. Runs and the canvas list steps by start time, in
 * milliseconds, and nodes of a chain take far less: each starts in a millisecond of its own to keep its place.
 */
export async function nextMillisecond(deps: ActivityDeps, previous: Date | undefined): Promise<void> {
  while (previous && deps.now().getTime() <= previous.getTime()) await new Promise((r) => setTimeout(r, 1));
}

async function evaluateNode(
  deps: ActivityDeps,
  req: RunPureChainInput,
  node: PlanNode,
  input: { json: string; value: unknown },
  scope: ChainScope,
): Promise<EvaluatedNode> {
  const { runId } = req;
  const startedAt = deps.now();
  const base = {
    runId,
    nodeId: node.id,
    nodeName: node.name,
    type: node.type,
    iteration: req.iteration ?? 0,
    attempt: 1,
  };
  try {
    const output = await runPure(deps, req, node, input.value, await scope.of(node, input.value));
    const encoded = await deps.store.blobs.encodeValue(output, { runId, nodeId: node.id, field: 'output' });
    const endedAt = deps.now();
    // What the next node would have read back from this step: JSON, with a large value materialized.
    const value: unknown = JSON.parse(encoded.ref ? JSON.stringify(output ?? null) : encoded.json);
    await tagRun(runId, node, () => scope.of(tagRulesAsParams(node), value));
    return {
      step: {
        ...base,
        status: 'succeeded',
        input: input.json,
        output: encoded.json,
        outputSize: encoded.bytes,
        startedAt,
        endedAt,
        durationMs: endedAt.getTime() - startedAt.getTime(),
      },
      result: { output: encoded.ref ?? value },
      next: { json: encoded.json, value },
    };
  } catch (err) {
    // A pure node fails the same way on every attempt, so its failure is final at once.
    const { message, code } = describeNodeError(err);
    const endedAt = deps.now();
    const errorOutput = goesOnAfterFailure(node.policy) ? failureOutput({ message, code }) : undefined;
    const errorJson = errorOutput && JSON.stringify(errorOutput);
    return {
      step: {
        ...base,
        status: 'failed',
        input: input.json,
        error: { message, code },
        startedAt,
        endedAt,
        durationMs: endedAt.getTime() - startedAt.getTime(),
        ...(errorJson ? { output: errorJson, outputSize: Buffer.byteLength(errorJson) } : {}),
      },
      result: { output: errorOutput ?? null, error: { message, code } },
      // Down the error output, the chain's next node (fed by the normal output) does not run.
      next: errorJson && !node.policy.errorOutput ? { json: errorJson, value: errorOutput } : undefined,
    };
  }
}

async function runPure(
  deps: ActivityDeps,
  req: RunPureChainInput,
  node: PlanNode,
  input: unknown,
  scope: ExpressionScope,
): Promise<unknown> {
  const spec = deps.nodes.get(node.type, node.version);
  if (spec?.runtime.kind !== 'activity' || !(spec.runtime.pure || spec.runtime.localWhen?.(node.params))) {
    throw Object.assign(
      new Error(
        `Node "${node.name}" (${node.id}) has type ${node.type}@${node.version}, which this worker does not know as a node that runs in a chain; deploy a worker with the plan's node versions.`,
      ),
      { code: 'unknown-type' },
    );
  }
  const params = await resolveParams(spec, node.params, scope);
  const run = await deps.loadRunner(node.type, node.version);
  const context = Context.current();
  const ctx = runContext(context, {
    runId: req.runId,
    workflowId: req.workflowId,
    node,
    iteration: 0,
    attempt: 1,
    signal: context.cancellationSignal,
    heartbeat: () => undefined, // a pure node has nothing to report, and the chain is short
  });
  return run(ctx, params, input);
}

interface ChainScope {
  /** The expression scope of `node` over `input`. */
  of(node: PlanNode, input: unknown): Promise<ExpressionScope>;
  /** A chain node's output, for `$node(…)` in the nodes after it (not yet in any step record). */
  remember(name: string, output: unknown): void;
}

/** `$node(…)` sees the chain's own outputs, then the executions named in `nodeRefs`; `$trigger` is read once. */
function chainScope(deps: ActivityDeps, req: RunPureChainInput): ChainScope {
  const { runId, workflowId, triggerNodeId, nodeRefs } = req;
  const outputs = new Map<string, unknown>();
  let trigger: Promise<unknown> | undefined;
  return {
    async of(node, input) {
      if (JSON.stringify(node.params).includes('$trigger'))
        trigger ??= loadTriggerPayload(deps.store, runId, triggerNodeId);
      return {
        input,
        trigger: trigger === undefined ? undefined : await trigger,
        node: (name) => (outputs.has(name) ? outputs.get(name) : loadNodeOutput(deps.store, runId, name, nodeRefs)),
        run: { id: runId, workflowId },
        resumeUrl: resumeUrlOf(runId, req.waitNodes),
      };
    },
    remember(name, output) {
      if (output !== undefined) outputs.set(name, output);
    },
  };
}

/** The live events of one step: it started, then how it ended, each at the time it happened. */
function stepEvents(workflowId: string, step: StepRecord): RunEvent[] {
  const common = {
    kind: 'step' as const,
    runId: step.runId,
    workflowId,
    nodeId: step.nodeId,
    nodeName: step.nodeName,
    iteration: step.iteration,
    attempt: step.attempt,
  };
  const error = step.error && {
    message: step.error.message,
    code: step.error.code,
    nodeId: step.nodeId,
    nodeName: step.nodeName,
  };
  return [
    { ...common, status: 'running', at: step.startedAt!.toISOString() },
    {
      ...common,
      status: step.status,
      at: step.endedAt!.toISOString(),
      durationMs: step.durationMs,
      ...(error ? { error } : {}),
    },
  ];
}
