// How the interpreter executes one node of each kind. Control nodes are evaluated here with the pure
// functions of their spec (or, when a value they read is a blob reference, by the `evaluateControl`
// activity); chains of pure nodes run as one local activity (workflows/pure-chain.ts); every other node
// is an activity on the task queue its spec names.
import { isCancellation, patched, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities, EvaluateControlResult } from '../activities';
import type { WorkflowStep } from '../contracts/step-record';
import type { ExpressionScope } from '../ir/expression';
import type { PlanNode } from '../ir/types';
import { resolveParams } from '../ir/params';
import type { NodeSpec } from '../nodes/define';
import { registry } from '../nodes/index';
import { containsBlobRef } from '../contracts/blob-ref';
import type { FiredRef, GraphState } from './graph-state';
import { startLoop } from './loops';
import { runSubworkflow } from './subruns';
import type { RunGraphInput } from './messages';
import type { RunError, StepStatus } from '../contracts/run-status';
import { errorCode } from '../contracts/errors';
import { toRunError } from './run-errors';
import { executePureChain } from './pure-chain';
import { LocalActivities } from './local-activities';
import { Waits } from './waits';
import { Approvals, runApproval } from './approvals';
import { runAgent } from './agents';
import { checkRoute, failureOutput, failurePort, goesOnAfterFailure } from '../nodes/ports';

export type NodeOutcome =
  | {
      nodeId: string;
      ok: true;
      output: unknown;
      status: StepStatus;
      port?: string | string[];
      /** Nodes whose outputs carry different values (a loop's `done` and `failed`): each port's value. */
      portValues?: Record<string, unknown>;
    }
  | { nodeId: string; ok: false; error: RunError; cancelled: boolean };

/** A pure chain started at `nodeId`: an outcome per node it reached, in order, and the nodes it did not reach. */
export interface ChainOutcome {
  nodeId: string;
  outcomes: NodeOutcome[];
  unreached: string[];
}

// The activity enforces the node's timeout itself (and records why); the server timeout is the backstop.
const DEADLINE_GRACE_MS = 2_000;
// Nodes allowed to run this long also get a heartbeat timeout, so a dead worker is noticed well before
// their own timeout. Runners never block the worker's event loop for long (the Code sandbox runs in a
// thread), so the activity's automatic heartbeat keeps a live node alive.
const LONG_NODE_MS = 120_000;
const HEARTBEAT_TIMEOUT_MS = 30_000;
// A Browser node always has one, shorter: a killed browser worker's step is retried on another worker within
// seconds rather than after the node's two-minute timeout (the activity heartbeats every second while it runs).
const BROWSER_HEARTBEAT_TIMEOUT_MS = 15_000;

function heartbeatTimeoutOf(node: PlanNode): number | undefined {
  if (node.taskQueue === 'browser') return BROWSER_HEARTBEAT_TIMEOUT_MS;
  return node.policy.timeoutMs > LONG_NODE_MS ? HEARTBEAT_TIMEOUT_MS : undefined;
}

// Runs before this change evaluated control nodes over blob references in the workflow; they replay so.
const CONTROL_NODES_RESOLVE_BLOBS = 'control-nodes-resolve-blobs';
// Expressions in workflow code get a small step budget (a workflow task must stay short); a control node
// whose expressions exceed it is evaluated again by the `evaluateControl` activity, with the activity budget.
const CONTROL_NODES_OVER_BUDGET = 'control-nodes-over-budget-in-activity';
// Runs before this change failed when a control node with continue-on-fail failed.
const CONTROL_NODES_GO_ON = 'control-nodes-continue-on-fail';

/** What every executor of a run shares: the top level's and each loop iteration's. */
interface RunShared {
  /** Step and run bookkeeping and pure chains, one at a time (workflows/local-activities.ts). */
  records: LocalActivities;
  waits: Waits;
  /** Approval requests of this workflow execution and the Updates that decide them (workflows/approvals.ts). */
  approvals: Approvals;
  /** Control nodes over blob references: pure apart from reading blobs, so retried freely. */
  control: Pick<Activities, 'evaluateControl'>;
  chainsDoneAt: number;
  /** History events of the activities and timers started so far (local activities count their own). */
  events: number;
}

export class NodeExecutor {
  private readonly shared: RunShared;

  /** Construct the run's executor before the run's first local activity; iterations get theirs from `forIteration`. */
  constructor(
    readonly input: RunGraphInput,
    readonly graph: GraphState,
    shared?: RunShared,
  ) {
    const records = shared?.records ?? new LocalActivities();
    this.shared = shared ?? {
      records,
      waits: new Waits(input.plan, graph),
      approvals: new Approvals(records, input.taskQueues.default),
      control: proxyActivities<Activities>({
        taskQueue: input.taskQueues.default,
        startToCloseTimeout: '2m',
        retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
      }),
      chainsDoneAt: 0,
      events: 0,
    };
  }

  get records(): LocalActivities {
    return this.shared.records;
  }

  private get waits(): Waits {
    return this.shared.waits;
  }

  get approvals(): Approvals {
    return this.shared.approvals;
  }

  private get control(): Pick<Activities, 'evaluateControl'> {
    return this.shared.control;
  }

  /** About how many history events this run's commands have made (workflows/loops.ts HistoryGauge). */
  eventsIssued(): number {
    return this.shared.records.issued + this.shared.events;
  }

  /** Counts history events of commands issued outside this class (child workflows). */
  countEvents(n: number): void {
    this.shared.events += n;
  }

  /** The executor of one iteration of a loop's body (`graph` from GraphState.forIteration). */
  forIteration(graph: GraphState): NodeExecutor {
    return new NodeExecutor(this.input, graph, this.shared);
  }

  /**
   * Workflow time (Temporal's deterministic clock), but never before the end of the last pure chain: a chain's
   * local activity runs inside a workflow task, whose clock stays at the task's start, and its steps carry
   * real times. Steps recorded after a chain must not appear to start before it.
   */
  now(): number {
    return Math.max(Date.now(), this.shared.chainsDoneAt);
  }

  /** The trigger's output: the payload the run was started with. */
  triggerOutput(): unknown {
    return this.input.trigger;
  }

  /** The trigger's step, as `execute` records it. */
  triggerStep(): WorkflowStep {
    const at = this.now();
    return this.record(this.graph.node(this.graph.triggerId), {
      status: 'succeeded',
      output: this.input.trigger,
      startedAt: at,
      endedAt: at,
    });
  }

  /** Never throws: failures and cancellations come back as outcomes for the walk to act on. */
  async execute(id: string): Promise<NodeOutcome> {
    const node = this.graph.node(id);
    try {
      switch (node.kind) {
        case 'trigger':
          return await this.evaluated(node, undefined, this.input.trigger);
        case 'activity':
          return await this.activity(node);
        case 'branch':
          return await this.branch(node);
        case 'merge':
          return await this.merge(node);
        case 'delay':
          return await this.delay(node);
        case 'wait':
          return await this.wait(node);
        case 'loop':
          return await startLoop(this, node);
        case 'subworkflow':
          return await runSubworkflow(this, node);
        case 'approval':
          return await runApproval(this, node);
        case 'agent':
          return await runAgent(this, node);
      }
    } catch (err) {
      if (node.kind !== 'activity' && this.controlGoesOn(node, err))
        return this.continueAfterFailure(node, err).catch((e: unknown) => this.failed(node, e));
      return this.failed(node, err);
    }
  }

  /**
   * Whether a node evaluated in the workflow (If, Merge, Delay…) that failed goes on as its policy says. Runs
   * before this change failed with continue-on-fail control nodes; the error output did not exist then.
   */
  private controlGoesOn(node: PlanNode, err: unknown): boolean {
    if (isCancellation(err) || node.kind === 'trigger') return false;
    if (node.policy.errorOutput) return true;
    return node.policy.continueOnFail && patched(CONTROL_NODES_GO_ON);
  }

  /** Steps recorded from now on start no earlier than `at`, the end of pure chains run outside `executeChain`. */
  chainsEnded(at: number): void {
    this.shared.chainsDoneAt = Math.max(this.shared.chainsDoneAt, at);
  }

  /** Runs a chain of pure nodes (workflows/pure-chain.ts); never throws, as `execute`. */
  async executeChain(ids: string[]): Promise<ChainOutcome> {
    const first = this.graph.node(ids[0]);
    try {
      const { outcomes, finishedAt } = await executePureChain(this.records, this.input, this.graph, ids);
      this.shared.chainsDoneAt = Math.max(this.shared.chainsDoneAt, finishedAt);
      return { nodeId: first.id, outcomes, unreached: ids.slice(outcomes.length) };
    } catch (err) {
      // The activity could not report: as for a node activity, its (first) node failed or was cancelled.
      const outcome = await this.continueAfterFailure(first, err).catch((e: unknown) => this.failed(first, e));
      return { nodeId: first.id, outcomes: [outcome], unreached: ids.slice(1) };
    }
  }

  private failed(node: PlanNode, err: unknown): NodeOutcome {
    if (!isCancellation(err)) return { nodeId: node.id, ok: false, error: toRunError(err, node), cancelled: false };
    const message = `Node "${node.name}" (${node.id}) was cancelled before it finished`;
    return {
      nodeId: node.id,
      ok: false,
      error: { message, nodeId: node.id, nodeName: node.name, code: 'cancelled' },
      cancelled: true,
    };
  }

  record(
    node: PlanNode,
    fields: Omit<WorkflowStep, 'runId' | 'workflowId' | 'nodeId' | 'nodeName' | 'type' | 'iteration'>,
  ): WorkflowStep {
    return {
      runId: this.input.runId,
      workflowId: this.input.plan.workflowId,
      nodeId: node.id,
      nodeName: node.name,
      type: node.type,
      iteration: this.graph.iteration,
      ...fields,
    };
  }

  private async activity(node: PlanNode): Promise<NodeOutcome> {
    const { retry, timeoutMs } = node.policy;
    const { runNode } = proxyActivities<Activities>({
      taskQueue: this.input.taskQueues[node.taskQueue],
      startToCloseTimeout: timeoutMs + DEADLINE_GRACE_MS,
      heartbeatTimeout: heartbeatTimeoutOf(node),
      retry: {
        maximumAttempts: retry.maximumAttempts,
        // Temporal refuses 0; the policy allows it to mean "retry at once".
        initialInterval: Math.max(1, retry.initialIntervalMs),
        backoffCoefficient: retry.backoffCoefficient,
      },
    });
    const inputFrom = this.graph.firedRefs(node.id);
    // The activity reads `$node(…)` outputs from step records; it needs to know which executions to read.
    const nodeRefs = JSON.stringify(node.params).includes('$node') ? this.graph.executedRefs() : undefined;
    const waitNodes = JSON.stringify(node.params).includes('$resumeUrl') ? this.graph.waitNodes() : undefined;
    this.shared.events += 3; // scheduled, started, completed
    try {
      const result = await runNode({
        runId: this.input.runId,
        workflowId: this.input.plan.workflowId,
        triggerNodeId: this.input.plan.triggerId,
        node,
        iteration: this.graph.iteration,
        inputFrom,
        nodeRefs,
        ...(waitNodes ? { waitNodes } : {}),
      });
      if (result.error)
        return { nodeId: node.id, ok: true, output: result.output, status: 'failed', port: failurePort(node.policy) };
      return { nodeId: node.id, ok: true, output: result.output, status: 'succeeded' };
    } catch (err) {
      return this.continueAfterFailure(node, err);
    }
  }

  /**
   * The activity could not report its own failure (its worker died on the last attempt): with continue-on-fail
   * the error becomes the node's output; otherwise, or when cancelled, `err` is thrown on.
   */
  private async continueAfterFailure(node: PlanNode, err: unknown): Promise<NodeOutcome> {
    if (!goesOnAfterFailure(node.policy) || isCancellation(err)) throw err;
    const error = toRunError(err, node);
    const output = failureOutput(error);
    await this.records.recordSteps([this.record(node, { status: 'failed', output, error, endedAt: this.now() })]);
    return { nodeId: node.id, ok: true, output, status: 'failed', port: failurePort(node.policy) };
  }

  private async branch(node: PlanNode): Promise<NodeOutcome> {
    const spec = this.spec(node);
    if (spec.runtime.kind !== 'branch') throw this.kindMismatch(node, spec);
    const input = this.graph.inputOf(node.id);
    const startedAt = this.now();
    const here = await this.paramsHere(spec, node, input);
    const port = here.inActivity
      ? (await this.evaluateControl(node, this.graph.firedRefs(node.id))).port
      : spec.runtime.route(here.params(), input);
    checkRoute(spec, node, port);
    return this.evaluated(node, input, input, port, startedAt);
  }

  private async merge(node: PlanNode): Promise<NodeOutcome> {
    const spec = this.spec(node);
    if (spec.runtime.kind !== 'merge') throw this.kindMismatch(node, spec);
    const sources = this.graph.firedRefs(
      node.id,
      spec.inputs.map((p) => p.id),
    );
    const inputs = sources.map((source) => this.graph.valueOf(source));
    const startedAt = this.now();
    const here = await this.paramsHere(spec, node, inputs);
    const output = here.inActivity
      ? (await this.evaluateControl(node, sources)).output
      : spec.runtime.combine(here.params(), inputs);
    return this.evaluated(node, inputs, output, undefined, startedAt);
  }

  /**
   * Resolves a control node's params in the workflow. `inActivity` says the node must run as an activity
   * instead: its input, or a `$node(…)` output its expressions read, holds a blob reference (`$trigger`
   * is the workflow's own payload, never a reference), or its expressions need more steps than workflow
   * code may spend. Otherwise `params()` returns the params or throws what resolving them threw.
   */
  private async paramsHere(
    spec: NodeSpec,
    node: PlanNode,
    input: unknown,
  ): Promise<{ inActivity: boolean; params: () => Record<string, unknown> }> {
    let nodeOutputHasBlob = false;
    const scope = this.scope(input);
    const tracked: ExpressionScope = {
      ...scope,
      node: (name) => {
        const output = scope.node(name);
        nodeOutputHasBlob ||= containsBlobRef(output);
        return output;
      },
    };
    const resolved = await resolveParams(spec, node.params, tracked).then(
      (params) => ({ ok: true as const, params: params as Record<string, unknown> }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    // Checked only when a reference is involved, so runs without one never record the patch marker.
    const readsBlob = (containsBlobRef(input) || nodeOutputHasBlob) && patched(CONTROL_NODES_RESOLVE_BLOBS);
    const overBudget = !resolved.ok && errorCode(resolved.error) === 'eval-limit' && patched(CONTROL_NODES_OVER_BUDGET);
    return {
      inActivity: readsBlob || overBudget,
      params: () => {
        if (!resolved.ok) throw resolved.error;
        return resolved.params;
      },
    };
  }

  private async evaluateControl(node: PlanNode, inputFrom: FiredRef[]): Promise<EvaluateControlResult> {
    // The activity reads `$node(…)` outputs from step records; it needs to know which executions to read.
    const nodeRefs = JSON.stringify(node.params).includes('$node') ? this.graph.executedRefs() : undefined;
    this.shared.events += 3;
    return this.control.evaluateControl({
      runId: this.input.runId,
      workflowId: this.input.plan.workflowId,
      triggerNodeId: this.input.plan.triggerId,
      node,
      iteration: this.graph.iteration,
      inputFrom,
      nodeRefs,
    });
  }

  private async delay(node: PlanNode): Promise<NodeOutcome> {
    const spec = this.spec(node);
    if (spec.runtime.kind !== 'delay') throw this.kindMismatch(node, spec);
    const input = this.graph.inputOf(node.id);
    const params = await resolveParams(spec, node.params, this.scope(input));
    const ms = spec.runtime.durationMs(params);
    const startedAt = this.now();
    await this.records.recordSteps([this.record(node, { status: 'running', input, startedAt })]);
    this.shared.events += 2;
    await sleep(ms); // a durable timer: survives worker restarts
    await this.records.recordSteps([
      this.record(node, { status: 'succeeded', input, output: input, startedAt, endedAt: this.now() }),
    ]);
    return { nodeId: node.id, ok: true, output: input, status: 'succeeded' };
  }

  /**
   * A Wait node: a durable timer, or a resume (workflows/waits.ts) with an optional timeout. Resumed, its output is
   * what the resume carried; timed out, its input goes down `timeout`.
   */
  private async wait(node: PlanNode): Promise<NodeOutcome> {
    const spec = this.spec(node);
    if (spec.runtime.kind !== 'wait') throw this.kindMismatch(node, spec);
    const input = this.graph.inputOf(node.id);
    const params = await resolveParams(spec, node.params, this.scope(input));
    const plan = spec.runtime.plan(params, Date.now());
    const startedAt = this.now();
    await this.records.recordSteps([this.record(node, { status: 'running', input, startedAt })]);
    let output = input;
    let port = 'out';
    if (plan.kind === 'timer') {
      if (plan.ms > 0) {
        this.shared.events += 2;
        await sleep(plan.ms); // a durable timer: survives worker restarts
      }
    } else {
      const end = await this.waits.waitFor(node.id, plan.timeoutMs);
      if (end.resumed) output = end.data;
      else port = 'timeout';
    }
    await this.records.recordSteps([
      this.record(node, { status: 'succeeded', input, output, startedAt, endedAt: this.now() }),
    ]);
    return { nodeId: node.id, ok: true, output, status: 'succeeded', port };
  }

  /** Records a node evaluated in the workflow; its step must exist before downstream activities read it. */
  private async evaluated(
    node: PlanNode,
    input: unknown,
    output: unknown,
    port?: string | string[],
    startedAt = this.now(),
  ): Promise<NodeOutcome> {
    await this.records.recordSteps([
      this.record(node, { status: 'succeeded', input, output, startedAt, endedAt: this.now() }),
    ]);
    return { nodeId: node.id, ok: true, output, status: 'succeeded', port };
  }

  /** Expressions in control nodes see the outputs the workflow holds in memory. */
  scope(input: unknown): ExpressionScope {
    return {
      input,
      trigger: this.input.trigger,
      node: (name: string) => {
        const id = this.graph.idOfName(name);
        if (id === undefined || !this.graph.hasOutput(id)) {
          throw new Error(
            `$node("${name}") has no output in this run: the node does not exist, has not run before this one, or was skipped.`,
          );
        }
        return this.graph.output(id);
      },
      run: { id: this.input.runId, workflowId: this.input.plan.workflowId },
    };
  }

  spec(node: PlanNode): NodeSpec {
    const spec = registry.get(node.type, node.version);
    if (!spec)
      throw new Error(
        `its type ${node.type}@${node.version} is not in this worker's node registry; deploy a worker that has it`,
      );
    return spec;
  }

  kindMismatch(node: PlanNode, spec: NodeSpec): Error {
    return new Error(
      `the plan runs it as "${node.kind}" but ${node.type}@${node.version} is a "${spec.runtime.kind}" node; recompile the workflow`,
    );
  }
}
