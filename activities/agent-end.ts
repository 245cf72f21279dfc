// The activities around an agent's loop: appending messages the workflow decided (a rejected tool call, a re-ask, a
// sub-workflow's or sub-agent's answer), opening a sub-agent's own transcript, and the end: reading the answer,
// checking it against the output schema, remembering the conversation and rolling up the execution's usage.
import { Ajv } from 'ajv';
import type { ChatMessage } from '../contracts/ai';
import {
  callsOfRun,
  putMessages,
  putTools,
  readMessages,
  saveCall,
  type AgentCall,
  readTools,
  sumUsage,
  writeMemory,
  type UsageTotals,
} from '../db/agent-calls';
import { emitAgentEvent } from './live-events';
import { getModel } from '../db/models';
import { NodeError } from '../nodes/errors';
import { agentToolSchema } from '../nodes/agent/tools';
import type { PlanNode } from '../ir/types';
import { routeOf, type AgentStart, type CallSettings, type ModelRoute, type ToolRoute } from './agent-start';

/** Turns kept in conversation memory: the newest, so a long-lived key cannot grow without bound. */
const MEMORY_MESSAGES = 50;

export interface AppendInput {
  key: string;
  seq: number;
  messages: ChatMessage[];
  /**
   * A tool call the workflow settled itself (rejected by a reviewer, unknown to the agent, a sub-workflow or a
   * sub-agent): recorded like the calls the activities make, so the run page and the feed list it.
   */
  call?: Omit<AgentCall, 'id' | 'key' | 'seq' | 'kind' | 'startedAt' | 'endedAt' | 'attempt'> & {
    startedAt: number;
  };
}

export interface FinishInput {
  key: string;
  seq: number;
  runId: string;
  workspaceId: string;
  settings: CallSettings;
  iterations: number;
  /** The loop stopped at its iteration limit: the output is the transcript so far. */
  maxed: boolean;
  memoryKey?: string;
}

export type FinishResult = { ok: true; output: AgentOutput } | { ok: false; problem: string };

export interface AgentOutput {
  /** The answer: text, or the JSON value matching the output schema. Absent when the loop hit its limit. */
  answer?: unknown;
  iterations: number;
  usage: UsageTotals;
  toolCalls: number;
  /** Only at the iteration limit: what was said so far, system prompt left out. */
  transcript?: ChatMessage[];
  reason?: 'max-iterations';
}

export interface NestedStartInput {
  parentKey: string;
  /** The parent's transcript position of the call that hands over the task. */
  seq: number;
  workspaceId: string;
  node: PlanNode;
  tool: ToolRoute;
  parentRoute: ModelRoute[];
  parentTools: ToolRoute[];
  settings: CallSettings;
  task: string;
}

const ajv = new Ajv({ allErrors: false, strict: false });

/** The answer as JSON: the text itself, or the first fenced block, parsed. */
export function parseJsonAnswer(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const candidate = (fenced ? fenced[1] : text).trim();
  try {
    return { ok: true, value: JSON.parse(candidate) };
  } catch (err) {
    return { ok: false, problem: `the answer is not JSON (${(err as Error).message})` };
  }
}

export function schemaProblem(schema: Record<string, unknown>, value: unknown): string | undefined {
  let validate;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    throw new NodeError(`Param "schema": not a usable JSON Schema: ${(err as Error).message}`, {
      code: 'param-invalid',
      retryable: false,
    });
  }
  if (validate(value)) return undefined;
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(the answer)'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}

export function createAgentEnd() {
  async function agentAppend(req: AppendInput): Promise<{ seq: number }> {
    const seq = await putMessages(req.key, req.seq, req.messages);
    if (req.call) {
      const endedAt = new Date();
      const call = {
        ...req.call,
        key: req.key,
        seq: req.seq,
        kind: 'tool' as const,
        startedAt: new Date(req.call.startedAt),
        endedAt,
        durationMs: Math.max(0, endedAt.getTime() - req.call.startedAt),
        attempt: 1,
      };
      await saveCall(call);
      await emitAgentEvent({
        kind: 'agent',
        runId: call.runId,
        workflowId: call.workflowId,
        ...(call.workspaceId ? { workspaceId: call.workspaceId } : {}),
        nodeId: call.nodeId,
        nodeName: call.nodeName,
        iteration: call.iteration,
        key: call.key,
        seq: call.seq,
        call: 'tool',
        name: call.name,
        status: call.status,
        at: endedAt.toISOString(),
        ...(call.error ? { error: call.error } : {}),
      });
    }
    return { seq };
  }

  async function agentFinish(req: FinishInput): Promise<FinishResult> {
    const messages = await readMessages(req.key, req.seq);
    const calls = (await callsOfRun(req.runId)).filter((c) => c.key === req.key || c.key.startsWith(`${req.key}/`));
    const usage = sumUsage(calls);
    const toolCalls = calls.filter((c) => c.kind === 'tool' && c.key === req.key).length;
    const said = messages.filter((m) => m.role !== 'system');
    if (req.maxed)
      return {
        ok: true,
        output: { reason: 'max-iterations', iterations: req.iterations, usage, toolCalls, transcript: said },
      };
    const last = [...messages].reverse().find((m) => m.role === 'assistant');
    const text = last?.content ?? '';
    let answer: unknown = text;
    if (req.settings.output.kind === 'json') {
      const parsed = parseJsonAnswer(text);
      if (!parsed.ok) return { ok: false, problem: parsed.problem };
      const problem = schemaProblem(req.settings.output.schema, parsed.value);
      if (problem) return { ok: false, problem: `the answer does not match the schema: ${problem}` };
      answer = parsed.value;
    }
    if (req.memoryKey) await writeMemory(req.workspaceId, req.memoryKey, said.slice(-MEMORY_MESSAGES));
    return { ok: true, output: { answer, iterations: req.iterations, usage, toolCalls } };
  }

  async function agentStartNested(req: NestedStartInput): Promise<AgentStart> {
    const row = agentToolSchema.parse((req.node.params.tools as unknown[])[req.tool.index]);
    if (row.kind !== 'agent') throw new Error(`Tool "${req.tool.name}" is not a sub-agent.`);
    const key = `${req.parentKey}/${req.seq}`;
    const allowed = new Set(row.tools ?? []);
    const tools = req.parentTools.filter((t) => {
      const rowName = (req.node.params.tools as Array<{ name: string }>)[t.index]?.name;
      return allowed.has(rowName) && t.kind !== 'agent';
    });
    const names = new Set(tools.map((t) => t.name));
    await putTools(
      key,
      (await readTools(req.parentKey)).filter((d) => names.has(d.name)),
    );
    let route = req.parentRoute;
    if (row.model) {
      const model = await getModel(req.workspaceId, row.model);
      if (!model)
        throw new NodeError(`Tool "${row.name}": no model ${row.model} in this workspace.`, {
          code: 'param-invalid',
          retryable: false,
        });
      route = [routeOf(model)];
    }
    const seq = await putMessages(key, 0, [
      { role: 'system', content: row.system },
      { role: 'user', content: req.task },
    ]);
    return {
      key,
      seq,
      workspaceId: req.workspaceId,
      route,
      tools,
      maxIterations: row.maxIterations ?? 10,
      reasks: 0,
      settings: { output: { kind: 'text' }, maxTokens: req.settings.maxTokens },
    };
  }

  return { agentAppend, agentFinish, agentStartNested };
}
