// An express run: the plan walked in memory, in the process that received the webhook, and recorded once when
// it ends (docs/decisions/030-express-mode.md). The walk follows the interpreter's rules (workflows/interpreter.ts):
// a node starts once all its incoming edges are resolved, a node whose inputs all died is skipped, independent
// branches run concurrently, and the first failure stops the rest. Nothing survives a crash of this process.
import { randomUUID } from 'node:crypto';
import { errorCode } from '../contracts/errors';
import type { RunMode } from '../contracts/run-record';
import type { RunError, StepStatus } from '../contracts/run-status';
import type { StepRecord } from '../contracts/step-record';
import { encodeValue } from '../db/blobs';
import type { ExpressionScope } from '../ir/expression';
import { resolveParams } from '../ir/params';
import { evaluateRunTags } from '../ir/run-tags';
import { TAG_LIMITS } from '../contracts/run-tags';
import type { Plan, PlanNode } from '../ir/types';
import type { NodeSpec } from '../nodes/define';
import { registry } from '../nodes/index';
import { GraphState } from '../workflows/graph-state';
import { checkRoute, failureOutput, failurePort, goesOnAfterFailure } from '../nodes/ports';
import { recordExpressRun } from './record-run';
import { NodeAttemptError, runActivityNode } from './run-node';

export interface ExpressRunInput {
  plan: Plan;
  /** The workflow's workspace, where the run is recorded. */
  workspaceId: string;
  workflowId: string;
  workflowVersion?: number;
  trigger: unknown;
  mode: RunMode;
}

export interface ExpressRunResult {
  runId: string;
  status: 'succeeded' | 'failed';
  /** The outputs of the nodes nothing else consumes, by node name, as values (never blob references). */
  output: unknown;
  error?: RunError;
}

type Outcome =
  | { nodeId: string; ok: true; value: unknown; status: StepStatus; port?: string | string[] }
  | { nodeId: string; ok: false; error: RunError };

/** Everything one run holds until it is recorded. */
class ExpressRun {
  readonly runId = `run_${randomUUID()}`;
  readonly graph: GraphState;
  readonly steps: StepRecord[] = [];
  /** Each finished node's output as stored: JSON, a large value as a blob reference. */
  readonly outputJson = new Map<string, string>();
  /** Aborted on the first failure or at the run's timeout: nodes in flight stop. */
  readonly stop = new AbortController();
  failure?: RunError;
  /** Tags the run's nodes set ("Tag run"), stored with its record. */
  readonly tags: Record<string, string> = {};
  private lastStart = 0;

  constructor(readonly input: ExpressRunInput) {
    this.graph = new GraphState(input.plan);
  }

  /**
   * History lists steps by start time in milliseconds, and express nodes take far less: each step starts at
   * least a millisecond after the one before, so the order of the walk is the order shown.
   */
  startTime(): Date {
    this.lastStart = Math.max(Date.now(), this.lastStart + 1);
    return new Date(this.lastStart);
  }

  fail(error: RunError): void {
    if (this.failure) return;
    this.failure = error;
    this.stop.abort(Object.assign(new Error(`Stopped because ${error.message}`), { code: 'cancelled' }));
  }
}

/**
 * Starts an express run. Its id is known at once; `finished` settles once the run is recorded (it rejects only
 * when recording failed, and then the run is lost).
 */
export function startExpressRun(input: ExpressRunInput): { runId: string; finished: Promise<ExpressRunResult> } {
  const run = new ExpressRun(input);
  return { runId: run.runId, finished: runToEnd(run) };
}

async function runToEnd(run: ExpressRun): Promise<ExpressRunResult> {
  const { input } = run;
  const startedAt = new Date();
  const { runTimeoutMs } = input.plan;
  const timeout =
    runTimeoutMs === undefined
      ? undefined
      : setTimeout(
          () =>
            run.fail({ message: `The run did not finish within its ${runTimeoutMs} ms run timeout`, code: 'timeout' }),
          runTimeoutMs,
        );
  try {
    await walk(run);
  } finally {
    clearTimeout(timeout);
  }
  const status = run.failure ? 'failed' : 'succeeded';
  await recordExpressRun({
    runId: run.runId,
    input,
    status,
    startedAt,
    steps: run.steps,
    outputJson: run.failure ? undefined : sinkOutputJson(run),
    error: run.failure,
    tags: run.tags,
  });
  const output = run.failure ? null : run.graph.sinkOutputs();
  return { runId: run.runId, status, output, ...(run.failure ? { error: run.failure } : {}) };
}

async function walk(run: ExpressRun): Promise<void> {
  const { graph } = run;
  const trigger = graph.node(graph.triggerId);
  graph.markStarted(trigger.id);
  const started = run.startTime();
  settle(run, await finished(run, trigger, { started, inputJson: undefined, output: run.input.trigger }));

  const running = new Map<string, Promise<Outcome>>();
  startReady(run, running);
  while (running.size > 0) {
    const outcome = await Promise.race(running.values());
    running.delete(outcome.nodeId);
    settle(run, outcome);
    if (!run.failure) startReady(run, running);
  }
}

function settle(run: ExpressRun, outcome: Outcome): void {
  if (outcome.ok) return run.graph.complete(outcome.nodeId, outcome.value, outcome.status, outcome.port);
  run.graph.fail(outcome.nodeId);
  run.fail(outcome.error);
}

/** Starts every ready node; a node whose inputs all died is skipped, which may make more nodes ready. */
function startReady(run: ExpressRun, running: Map<string, Promise<Outcome>>): void {
  const { graph } = run;
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of graph.readyNodes()) {
      const node = graph.node(id);
      if (graph.allInputsDead(id)) {
        graph.skip(id);
        const at = run.startTime();
        run.steps.push({ ...stepBase(run, node, 1), status: 'skipped', startedAt: at, endedAt: at });
        changed = true;
      } else {
        graph.markStarted(id);
        running.set(id, execute(run, node));
      }
    }
  }
}

/** Never throws: a failure comes back as an outcome, its step already recorded. */
async function execute(run: ExpressRun, node: PlanNode): Promise<Outcome> {
  const started = run.startTime();
  const spec = registry.get(node.type, node.version);
  const sources = run.graph.firedSources(node.id, node.kind === 'merge' ? spec?.inputs.map((p) => p.id) : undefined);
  const inputs = sources.map((id) => run.graph.output(id));
  const input = node.kind === 'merge' || inputs.length !== 1 ? inputs : inputs[0];
  const jsons = sources.map((id) => run.outputJson.get(id) ?? 'null');
  const inputJson = node.kind === 'merge' || jsons.length !== 1 ? `[${jsons.join(',')}]` : jsons[0];
  let attempt = 1;
  try {
    if (!spec) throw new Error(`its type ${node.type}@${node.version} is not in this server's node registry`);
    const params = await resolveParams(spec, node.params, scope(run, input));
    const runtime = spec.runtime;
    switch (runtime.kind) {
      case 'activity': {
        const done = await runActivityNode(
          {
            runId: run.runId,
            workflowId: run.input.workflowId,
            node,
            params,
            input,
            signal: run.stop.signal,
          },
          { pure: runtime.pure === true },
        );
        attempt = done.attempt;
        return await finished(run, node, { started, inputJson, output: done.output, attempt });
      }
      case 'branch': {
        const port = runtime.route(params, input);
        checkRoute(spec, node, port);
        return await finished(run, node, { started, inputJson, output: input, port });
      }
      case 'merge':
        return await finished(run, node, { started, inputJson, output: runtime.combine(params, inputs) });
      default:
        throw kindRefused(spec);
    }
  } catch (err) {
    if (err instanceof NodeAttemptError) attempt = err.attempt;
    return failed(run, node, err instanceof NodeAttemptError ? err.failure : err, { started, inputJson, attempt });
  }
}

interface StepTiming {
  started: Date;
  inputJson: string | undefined;
  attempt?: number;
}

/** Records a node that produced `output` and returns the value its successors receive. */
async function finished(
  run: ExpressRun,
  node: PlanNode,
  step: StepTiming & { output: unknown; port?: string | string[] },
): Promise<Outcome> {
  const encoded = await encodeValue(step.output, { runId: run.runId, nodeId: node.id, field: 'output' });
  const endedAt = endTime(step.started);
  run.outputJson.set(node.id, encoded.json);
  run.steps.push({
    ...stepBase(run, node, step.attempt ?? 1),
    status: 'succeeded',
    ...(step.inputJson === undefined ? {} : { input: step.inputJson }),
    output: encoded.json,
    outputSize: encoded.bytes,
    startedAt: step.started,
    endedAt,
    durationMs: endedAt.getTime() - step.started.getTime(),
  });
  // Successors see what they would read back from the step record in a standard run: plain JSON.
  const value: unknown = JSON.parse(encoded.ref ? JSON.stringify(step.output ?? null) : encoded.json);
  // "Tag run": kept with the run and written with its record at the end (contracts/run-tags.ts).
  if (node.policy.tags?.length)
    for (const [key, text] of Object.entries(await evaluateRunTags(node, scope(run, value)))) {
      if (key in run.tags || Object.keys(run.tags).length < TAG_LIMITS.perRun) run.tags[key] = text;
    }
  return { nodeId: node.id, ok: true, value, status: 'succeeded', port: step.port };
}

/** Records a failed node; with continue-on-fail or an error output its error becomes its output and the run goes on. */
function failed(run: ExpressRun, node: PlanNode, err: unknown, step: StepTiming): Outcome {
  const e = (err ?? {}) as { message?: unknown };
  const message = typeof e.message === 'string' && e.message ? e.message : String(err);
  const code = errorCode(err);
  const endedAt = endTime(step.started);
  const continues = goesOnAfterFailure(node.policy) && !run.stop.signal.aborted;
  const errorOutput = continues ? failureOutput({ message, code }) : undefined;
  const errorJson = errorOutput && JSON.stringify(errorOutput);
  run.steps.push({
    ...stepBase(run, node, step.attempt ?? 1),
    status: 'failed',
    ...(step.inputJson === undefined ? {} : { input: step.inputJson }),
    error: { message, code },
    startedAt: step.started,
    endedAt,
    durationMs: endedAt.getTime() - step.started.getTime(),
    ...(errorJson ? { output: errorJson, outputSize: Buffer.byteLength(errorJson) } : {}),
  });
  if (errorJson) {
    run.outputJson.set(node.id, errorJson);
    return { nodeId: node.id, ok: true, value: errorOutput, status: 'failed', port: failurePort(node.policy) };
  }
  const error = {
    message: `Node "${node.name}" (${node.id}) failed: ${message}`,
    nodeId: node.id,
    nodeName: node.name,
  };
  return { nodeId: node.id, ok: false, error: { ...error, code } };
}

/** Steps start at least a millisecond apart (`startTime`), so a fast step may end "before" it started: not so. */
const endTime = (started: Date) => new Date(Math.max(Date.now(), started.getTime()));

function stepBase(run: ExpressRun, node: PlanNode, attempt: number) {
  return { runId: run.runId, nodeId: node.id, nodeName: node.name, type: node.type, iteration: 0, attempt };
}

/** Expressions see the outputs this run holds in memory; `$trigger` is the request's payload. */
function scope(run: ExpressRun, input: unknown): ExpressionScope {
  const { graph } = run;
  return {
    input,
    trigger: run.input.trigger,
    node: (name) => {
      const id = graph.idOfName(name);
      if (id === undefined || !graph.hasOutput(id))
        throw new Error(
          `$node("${name}") has no output in this run: the node does not exist, has not run before this one, or was skipped.`,
        );
      return graph.output(id);
    },
    run: { id: run.runId, workflowId: run.input.workflowId },
  };
}

/** The run's output as stored: the sinks' stored outputs by node name, so a large one is not uploaded twice. */
function sinkOutputJson(run: ExpressRun): string {
  const names = Object.keys(run.graph.sinkOutputs());
  const parts = names.map((name) => `${JSON.stringify(name)}:${run.outputJson.get(run.graph.idOfName(name)!)}`);
  return `{${parts.join(',')}}`;
}

/** Compile refuses waiting nodes in express plans (ir/compile.ts); a plan stored before that check still fails clearly. */
function kindRefused(spec: NodeSpec): Error {
  return Object.assign(
    new Error(
      `a "${spec.runtime.kind}" node cannot run in an express workflow; remove it or switch the workflow to standard mode`,
    ),
    { code: 'param-invalid' },
  );
}
