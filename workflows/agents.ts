// The loop of an LLM or Agent node, inside the workflow (docs/decisions/053-agents.md): each model call and each tool
// call is an activity of its own, so after any crash the loop resumes where it was and no finished call runs again.
// The transcript lives in the store (db/agent-calls.ts): history carries only positions, tool calls and results.
// Model calls go down the route (model, then fallback) when a model gives up; tool calls marked "needs approval"
// wait for people on the approval machinery; sub-workflows run as child workflows and sub-agents as nested loops.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  ParentClosePolicy,
  proxyActivities,
  startChild,
} from '@temporalio/workflow';
import type { Activities, AgentOutput, AgentStart, ModelCallResult, ToolRoute } from '../activities';
import { FALLBACK_ERRORS, type ChatMessage, type ToolCall } from '../contracts/ai';
import { containsBlobRef } from '../contracts/blob-ref';
import type { PlanNode } from '../ir/types';
import { AGENT_PORTS } from '../nodes/agent/spec';
import { NodeError } from '../nodes/errors';
import { openApprovalFor } from './approvals';
import { nextChatMessages } from './chat';
import type { RunGraphResult } from './messages';
import type { NodeExecutor, NodeOutcome } from './node-execution';
import { toRunError } from './run-errors';

/** Past a call's own timeout (the node's), before Temporal gives up on its activity. */
const CALL_GRACE_MS = 30_000;
/** A model or tool call heartbeats (a model call with every streamed batch): a dead worker is noticed this soon. */
const CALL_HEARTBEAT_MS = 30_000;
/** Bookkeeping activities around the calls: reading params, MCP tool lists, the transcript. */
const BOOKKEEPING_TIMEOUT_MS = 2 * 60_000;

/** Activities of this node on `queue`; `calls` for model and tool calls, which heartbeat and take the node's timeout. */
function acts(ex: NodeExecutor, queue: string, node: PlanNode, calls = false) {
  const { retry, timeoutMs } = node.policy;
  return proxyActivities<Activities>({
    taskQueue: queue,
    startToCloseTimeout: calls ? timeoutMs + CALL_GRACE_MS : BOOKKEEPING_TIMEOUT_MS,
    ...(calls ? { heartbeatTimeout: Math.min(CALL_HEARTBEAT_MS, Math.max(2_000, timeoutMs)) } : {}),
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: Math.max(1, retry.initialIntervalMs),
      backoffCoefficient: retry.backoffCoefficient,
    },
  });
}

/** The model error kind an exhausted model call ended with (`model-rate-limit` → `rate-limit`). */
function modelErrorKind(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.type?.startsWith('model-') ? cause.type.slice(6) : undefined;
}

export async function runAgent(ex: NodeExecutor, node: PlanNode): Promise<NodeOutcome> {
  const spec = ex.spec(node);
  if (spec.runtime.kind !== 'agent') throw ex.kindMismatch(node, spec);
  const input = ex.graph.inputOf(node.id);
  const startedAt = ex.now();
  await ex.records.recordSteps([ex.record(node, { status: 'running', input, startedAt })]);
  const defaults = acts(ex, ex.input.taskQueues.default, node);
  ex.countEvents(3);
  try {
    const start = await defaults.agentStart({
      runId: ex.input.runId,
      workflowId: ex.input.plan.workflowId,
      triggerNodeId: ex.input.plan.triggerId,
      node,
      iteration: ex.graph.iteration,
      inputFrom: ex.graph.firedRefs(node.id),
      ...(JSON.stringify(node.params).includes('$node') ? { nodeRefs: ex.graph.executedRefs() } : {}),
    });
    const { output, maxed } = await new AgentLoop(ex, node, start).run();
    await ex.records.recordSteps([
      ex.record(node, { status: 'succeeded', input, output, startedAt, endedAt: ex.now() }),
    ]);
    return {
      nodeId: node.id,
      ok: true,
      output,
      status: 'succeeded',
      port: maxed ? AGENT_PORTS.maxIterations : AGENT_PORTS.out,
    };
  } catch (err) {
    // Recorded here, as the walk records only what activities reported; a cancellation is recorded by the walk.
    if (!isCancellation(err))
      await CancellationScope.nonCancellable(() =>
        ex.records.recordSteps([
          ex.record(node, { status: 'failed', input, error: toRunError(err, node), startedAt, endedAt: ex.now() }),
        ]),
      );
    throw err;
  }
}

/** What the workflow records of a tool call it settled itself (no activity ran the tool). */
interface SettledCall {
  name: string;
  status: 'succeeded' | 'failed' | 'rejected';
  startedAt: number;
  input: string;
  output: string;
  error?: string;
}

class AgentLoop {
  private seq: number;
  private iterations = 0;

  constructor(
    private readonly ex: NodeExecutor,
    private readonly node: PlanNode,
    private readonly start: AgentStart,
  ) {
    this.seq = start.seq;
  }

  private get ids() {
    return {
      runId: this.ex.input.runId,
      workflowId: this.ex.input.plan.workflowId,
      workspaceId: this.start.workspaceId,
      nodeId: this.node.id,
      nodeName: this.node.name,
      iteration: this.ex.graph.iteration,
    };
  }

  private defaults() {
    return acts(this.ex, this.ex.input.taskQueues.default, this.node);
  }

  async run(): Promise<{ output: AgentOutput; maxed: boolean }> {
    let reasks = 0;
    // A chatting agent's limit is per turn: each chat message starts the count again.
    let turnStart = 0;
    for (;;) {
      // Re-asks after a schema mismatch do not count against the limit: an LLM node (one iteration) may re-ask too.
      if (this.iterations - turnStart - reasks >= this.start.maxIterations)
        return { output: await this.finish(true), maxed: true };
      const reply = await this.callModel();
      this.iterations++;
      if (reply.toolCalls.length === 0 || this.start.tools.length === 0) {
        const end = await this.defaults().agentFinish({
          key: this.start.key,
          seq: this.seq,
          runId: this.ids.runId,
          workspaceId: this.start.workspaceId,
          settings: this.start.settings,
          iterations: this.iterations,
          maxed: false,
          ...(this.start.memoryKey ? { memoryKey: this.start.memoryKey } : {}),
        });
        this.ex.countEvents(3);
        if (end.ok && this.start.chatIdleMs !== undefined) {
          const next = await nextChatMessages(this.start.chatIdleMs);
          if (next.length > 0) {
            await this.append(next.map((m) => ({ role: 'user' as const, content: m.text })));
            turnStart = this.iterations;
            reasks = 0;
            continue;
          }
        }
        if (end.ok) return { output: end.output, maxed: false };
        if (reasks >= this.start.reasks)
          throw new NodeError(
            `the model's answer still failed after ${reasks} re-ask${reasks === 1 ? '' : 's'}: ${end.problem}`,
            { code: 'output-invalid', retryable: false },
          );
        reasks++;
        await this.append([
          {
            role: 'user',
            content: `Your answer was not accepted: ${end.problem}. Answer again with only the JSON value that matches the schema.`,
          },
        ]);
        continue;
      }
      // Several calls in one reply run one after the other, in the model's order: their results keep their places.
      for (const call of reply.toolCalls) await this.callTool(call);
    }
  }

  private async finish(maxed: boolean): Promise<AgentOutput> {
    this.ex.countEvents(3);
    const end = await this.defaults().agentFinish({
      key: this.start.key,
      seq: this.seq,
      runId: this.ids.runId,
      workspaceId: this.start.workspaceId,
      settings: this.start.settings,
      iterations: this.iterations,
      maxed,
    });
    if (!end.ok) throw new NodeError(end.problem, { code: 'output-invalid', retryable: false });
    return end.output;
  }

  private async append(messages: ChatMessage[], call?: SettledCall): Promise<void> {
    this.ex.countEvents(3);
    const { runId, workflowId, workspaceId, nodeId, nodeName, iteration } = this.ids;
    this.seq = (
      await this.defaults().agentAppend({
        key: this.start.key,
        seq: this.seq,
        messages,
        ...(call ? { call: { runId, workflowId, workspaceId, nodeId, nodeName, iteration, ...call } } : {}),
      })
    ).seq;
  }

  /** The tool result message of `call`, and the record of a call the workflow settled itself. */
  private async settle(call: ToolCall, content: string, status: SettledCall['status'], startedAt: number) {
    const failed = status !== 'succeeded';
    await this.append(
      [{ role: 'tool', toolCallId: call.id, name: call.name, content, ...(failed ? { isError: true } : {}) }],
      {
        name: call.name,
        status,
        startedAt,
        input: JSON.stringify(call.arguments),
        output: content,
        ...(failed ? { error: content } : {}),
      },
    );
  }

  /** Calls the route's models in order; the next one is tried only when the last gave up for a reason it may not share. */
  private async callModel(): Promise<ModelCallResult> {
    const { route } = this.start;
    let lastError: unknown;
    for (const [i, model] of route.entries()) {
      const queue = this.ex.input.taskQueues[model.queue];
      this.ex.countEvents(3);
      try {
        const reply = await acts(this.ex, queue, this.node, true).agentModelCall({
          ...this.ids,
          key: this.start.key,
          seq: this.seq,
          modelId: model.modelId,
          settings: this.start.settings,
          timeoutMs: this.node.policy.timeoutMs,
          ...(this.start.budgetUsd !== undefined ? { budgetUsd: this.start.budgetUsd } : {}),
          ...(this.ex.input.plan.aiBudgetUsdPerMonth !== undefined
            ? { monthlyBudgetUsd: this.ex.input.plan.aiBudgetUsdPerMonth }
            : {}),
          ...(i > 0
            ? { note: `Fallback: ${route[i - 1].name} failed (${modelErrorKind(lastError) ?? 'error'}).` }
            : {}),
        });
        this.seq = reply.seq;
        return reply;
      } catch (err) {
        lastError = err;
        const kind = modelErrorKind(err);
        if (!kind || !(FALLBACK_ERRORS as readonly string[]).includes(kind) || i === route.length - 1) throw err;
      }
    }
    throw lastError;
  }

  private async callTool(call: ToolCall): Promise<void> {
    const startedAt = Date.now();
    const tool = this.start.tools.find((t) => t.name === call.name);
    if (!tool) {
      const names = this.start.tools.map((t) => t.name).join(', ');
      await this.settle(call, `Error: there is no tool "${call.name}". The tools are: ${names}.`, 'failed', startedAt);
      return;
    }
    let editedArguments: Record<string, unknown> | undefined;
    if (tool.needsApproval) {
      const decision = await openApprovalFor(this.ex, this.node, {
        suffix: `${this.start.key}:${this.seq}`,
        title: `${this.node.name} wants to call ${call.name}`,
        summary: `The agent asks to call the tool "${call.name}". Check the arguments; you may edit them before approving.`,
        data: { tool: call.name, arguments: call.arguments },
        approvers: this.start.toolApprovers,
      });
      if (decision.status !== 'approved') {
        const why = decision.comment ? `: ${decision.comment}` : '';
        const content = `The reviewer rejected this call${why}. Do not call ${call.name} again for this; continue without it.`;
        await this.settle(call, content, 'rejected', startedAt);
        return;
      }
      const edited = (decision.data as { arguments?: unknown } | undefined)?.arguments;
      if (edited && typeof edited === 'object' && JSON.stringify(edited) !== JSON.stringify(call.arguments))
        editedArguments = edited as Record<string, unknown>;
    }
    if (tool.kind === 'workflow') return this.callWorkflow(call, tool, editedArguments ?? call.arguments, startedAt);
    if (tool.kind === 'agent') return this.callSubAgent(call, tool, editedArguments ?? call.arguments, startedAt);
    this.ex.countEvents(3);
    const result = await acts(this.ex, this.ex.input.taskQueues.default, this.node, true).agentRunTool({
      runId: this.ids.runId,
      workflowId: this.ids.workflowId,
      triggerNodeId: this.ex.input.plan.triggerId,
      node: this.node,
      iteration: this.ids.iteration,
      inputFrom: this.ex.graph.firedRefs(this.node.id),
      ...(JSON.stringify(this.node.params).includes('$node') ? { nodeRefs: this.ex.graph.executedRefs() } : {}),
      key: this.start.key,
      seq: this.seq,
      call,
      tool,
      ...(editedArguments ? { editedArguments } : {}),
      timeoutMs: this.node.policy.timeoutMs,
      maxAttempts: this.node.policy.retry.maximumAttempts,
    });
    this.seq = result.seq;
  }

  /** A sub-workflow as a tool: its published version runs as a child run with the arguments as its input. */
  private async callWorkflow(
    call: ToolCall,
    tool: ToolRoute,
    args: Record<string, unknown>,
    startedAt: number,
  ): Promise<void> {
    const row = (this.node.params.tools as Array<{ workflowId: string }>)[tool.index];
    const runId = `${this.ids.runId}--sub-${this.node.id}-${this.ids.iteration}-${this.seq}`;
    let content: string;
    let isError = false;
    try {
      const prepared = await this.defaults().prepareSubRun({
        parentRunId: this.ids.runId,
        parentNodeId: this.node.id,
        childRunId: runId,
        depth: runId.split(/--(?:sub-|error$)/).length - 2,
        workflowId: row.workflowId,
        version: 'latest',
        trigger: args,
        mode: 'subworkflow',
      });
      const child = await startChild('runGraph', {
        workflowId: runId,
        taskQueue: this.ex.input.taskQueues.default,
        args: [{ runId, plan: prepared.plan, trigger: args, taskQueues: this.ex.input.taskQueues }],
        parentClosePolicy: ParentClosePolicy.TERMINATE,
      });
      this.ex.countEvents(7);
      const result = (await child.result()) as RunGraphResult;
      if (result.status !== 'succeeded') {
        isError = true;
        content = `Error: the workflow "${prepared.workflowName}" ${result.status}: ${result.error?.message ?? 'no error recorded'}`;
      } else if (containsBlobRef(result.output)) {
        isError = true;
        content = `Error: the workflow "${prepared.workflowName}" returned more than 256 KB; it cannot be read here.`;
      } else {
        content = JSON.stringify(result.output ?? null).slice(0, 32 * 1024);
      }
    } catch (err) {
      if (isCancellation(err)) throw err;
      isError = true;
      // An activity's failure says only "Activity task failed"; its cause says why.
      const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
      content = `Error: ${(cause as Error).message}`;
    }
    await this.settle({ ...call, arguments: args }, content, isError ? 'failed' : 'succeeded', startedAt);
  }

  /** A sub-agent as a tool: a nested loop with its own transcript, whose last answer is this call's result. */
  private async callSubAgent(
    call: ToolCall,
    tool: ToolRoute,
    args: Record<string, unknown>,
    startedAt: number,
  ): Promise<void> {
    this.ex.countEvents(3);
    const task = typeof args.task === 'string' ? args.task : JSON.stringify(args);
    const nested = await this.defaults().agentStartNested({
      parentKey: this.start.key,
      seq: this.seq,
      workspaceId: this.start.workspaceId,
      node: this.node,
      tool,
      parentRoute: this.start.route,
      parentTools: this.start.tools,
      settings: this.start.settings,
      task,
    });
    const { output, maxed } = await new AgentLoop(this.ex, this.node, {
      ...nested,
      ...(this.start.budgetUsd !== undefined ? { budgetUsd: this.start.budgetUsd } : {}),
      ...(this.start.toolApprovers ? { toolApprovers: this.start.toolApprovers } : {}),
    }).run();
    const content = maxed
      ? `Error: the agent "${call.name}" stopped at its iteration limit without an answer.`
      : typeof output.answer === 'string'
        ? output.answer
        : JSON.stringify(output.answer);
    await this.settle({ ...call, arguments: args }, content, maxed ? 'failed' : 'succeeded', startedAt);
  }
}
