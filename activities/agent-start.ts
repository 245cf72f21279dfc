// The first activity of an LLM or Agent execution: resolve its params, find its models and tools, and write the
// opening of its transcript (system prompt, remembered conversation, prompt). The workflow gets back only what it
// needs to steer the loop: the model route, each tool's name and kind, and numbers (docs/decisions/053-agents.md).
import type { ChatMessage, ToolDefinition } from '../contracts/ai';
import { putMessages, putTools, readMemory, type AgentKey } from '../db/agent-calls';
import { getAiSettings } from '../db/ai-settings';
import { getModel, type RegisteredModel } from '../db/models';
import { workspaceOfWorkflow } from '../db/workflows';
import { resolveParams } from '../ir/params';
import type { TaskQueue } from '../nodes/define';
import { NodeError } from '../nodes/errors';
import { agentToolSchema, type AgentTool } from '../nodes/agent/tools';
import type { ActivityDeps } from './deps';
import { describeTools } from './agent-tool-list';
import { expressionScope, loadInput, type ExpressionSource, type StepRef } from './step-io';

/** One model the loop may call, in the order it tries them. */
export interface ModelRoute {
  modelId: string;
  name: string;
  queue: TaskQueue;
}

/** A tool as the workflow steers it: the rest stays in the node's params and the transcript. */
export interface ToolRoute {
  name: string;
  kind: AgentTool['kind'];
  /** The row of the node's `tools` param it comes from. */
  index: number;
  needsApproval: boolean;
  /** MCP tools: the server's own name for the tool. */
  remoteName?: string;
}

export interface CallSettings {
  output: { kind: 'text' } | { kind: 'json'; schema: Record<string, unknown> };
  maxTokens: number;
  temperature?: number;
}

export interface AgentStartInput extends ExpressionSource {
  iteration: number;
  inputFrom: StepRef[];
}

export interface AgentStart {
  key: AgentKey;
  /** Messages written so far: the next one goes at this number. */
  seq: number;
  workspaceId: string;
  route: ModelRoute[];
  tools: ToolRoute[];
  maxIterations: number;
  reasks: number;
  settings: CallSettings;
  budgetUsd?: number;
  memoryKey?: string;
  /** Who approves tool calls marked "needs approval", as written in the node. */
  toolApprovers?: string;
  /** A chatting agent: after each answer it waits this long for the next chat message (workflows/chat.ts). */
  chatIdleMs?: number;
}

export const agentKeyOf = (runId: string, nodeId: string, iteration: number): AgentKey =>
  `${runId}:${nodeId}:${iteration}`;

/** Tells the model the shape its final answer must have (JSON output). */
export function outputInstruction(settings: CallSettings): string | undefined {
  if (settings.output.kind !== 'json') return undefined;
  return `Your final answer must be only a JSON value matching this JSON Schema, with no other text:\n${JSON.stringify(settings.output.schema)}`;
}

export function routeOf(model: RegisteredModel): ModelRoute {
  return { modelId: model.id, name: model.name, queue: model.provider === 'local-gguf' ? 'gpu' : 'default' };
}

const paramError = (param: string, message: string) =>
  new NodeError(`Param "${param}": ${message}`, { code: 'param-invalid', retryable: false });

export function createAgentStart(deps: ActivityDeps) {
  return async function agentStart(req: AgentStartInput): Promise<AgentStart> {
    const { runId, workflowId, node, iteration } = req;
    const spec = deps.nodes.get(node.type, node.version);
    if (!spec || spec.runtime.kind !== 'agent')
      throw new NodeError(`Node "${node.name}": ${node.type}@${node.version} is not a model node this worker knows.`, {
        code: 'unknown-type',
        retryable: false,
      });
    const loaded = await loadInput(deps.store, runId, req.inputFrom);
    const params = (await resolveParams(
      spec,
      node.params,
      await expressionScope(deps.store, req, loaded.value),
    )) as Record<string, unknown>;
    const workspaceId = await workspaceOfWorkflow(workflowId);
    if (!workspaceId)
      throw new NodeError(`The run's workflow ${workflowId} was deleted; its models cannot be reached.`, {
        code: 'workflow-gone',
        retryable: false,
      });

    const route: ModelRoute[] = [];
    for (const param of ['model', 'fallbackModel'] as const) {
      const id = params[param];
      if (typeof id !== 'string') continue;
      const model = await getModel(workspaceId, id);
      if (!model)
        throw paramError(param, `no model ${id} in this workspace (was it deleted?); pick one from the Models page`);
      route.push(routeOf(model));
    }

    // The workspace's fallback comes after the node's own route (db/ai-settings.ts).
    const { fallbackModelId } = await getAiSettings(workspaceId);
    if (fallbackModelId && !route.some((r) => r.modelId === fallbackModelId)) {
      const model = await getModel(workspaceId, fallbackModelId);
      if (model) route.push(routeOf(model));
    }

    const settings: CallSettings = {
      output:
        params.output === 'json'
          ? { kind: 'json', schema: params.schema as Record<string, unknown> }
          : { kind: 'text' },
      maxTokens: (params.maxTokens as number | undefined) ?? 1024,
      ...(typeof params.temperature === 'number' ? { temperature: params.temperature } : {}),
    };

    const key = agentKeyOf(runId, node.id, iteration);
    let tools: ToolRoute[] = [];
    let definitions: ToolDefinition[] = [];
    if (spec.runtime.tools) {
      const rows = ((params.tools as unknown[] | undefined) ?? []).map((row) => agentToolSchema.parse(row));
      ({ tools, definitions } = await describeTools(deps, req, rows));
    }

    const memoryKey =
      typeof params.memoryKey === 'string' && params.memoryKey.trim() ? params.memoryKey.trim() : undefined;
    const system = [params.system, outputInstruction(settings)].filter((s) => typeof s === 'string' && s).join('\n\n');
    const messages: ChatMessage[] = [
      ...(system ? [{ role: 'system' as const, content: system }] : []),
      ...(memoryKey ? await readMemory(workspaceId, memoryKey) : []),
      { role: 'user', content: typeof params.prompt === 'string' ? params.prompt : JSON.stringify(params.prompt) },
    ];
    await putTools(key, definitions);
    const seq = await putMessages(key, 0, messages);
    return {
      key,
      seq,
      workspaceId,
      route,
      tools,
      maxIterations: spec.runtime.tools ? ((params.maxIterations as number | undefined) ?? 10) : 1,
      reasks: (params.reasks as number | undefined) ?? 2,
      settings,
      ...(typeof params.budgetUsd === 'number' ? { budgetUsd: params.budgetUsd } : {}),
      ...(memoryKey ? { memoryKey } : {}),
      ...(typeof params.toolApprovers === 'string' ? { toolApprovers: params.toolApprovers } : {}),
      ...(params.conversation === 'chat'
        ? { chatIdleMs: ((params.idleMinutes as number | undefined) ?? 60) * 60_000 }
        : {}),
    };
  };
}
