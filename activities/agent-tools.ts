// One tool call of an Agent, as an activity: run the Baton node, HTTP endpoint or MCP tool the model asked for, then
// write the result into the transcript at its fixed place and record the call. A failing tool answers the model
// with the error (it may try something else) once the node's retries are spent; the run goes on.
// The model's arguments are data, never expressions: only the params the author fixed are resolved.
import { CancelledFailure, Context } from '@temporalio/activity';
import type { ChatMessage, ToolCall } from '../contracts/ai';
import { putMessages, saveCall, type AgentCall } from '../db/agent-calls';
import { openCredentialForRun } from '../db/credential-use';
import { runTables } from '../db/data-table-rows';
import { doOnce } from '../db/effect-marks';
import { emitAgentEvent } from './live-events';
import { runFiles } from '../db/files';
import { workspaceOfWorkflow } from '../db/workflows';
import { resolveParams } from '../ir/params';
import { callMcpTool } from '../nodes/ai/mcp';
import { agentToolSchema, type AgentTool } from '../nodes/agent/tools';
import { stepCredentials } from '../nodes/credentials/step-access';
import type { NodeSpec, ParamDefs } from '../nodes/define';
import { describeNodeError, toApplicationFailure } from './node-errors';
import type { ActivityDeps } from './deps';
import type { ToolRoute } from './agent-start';
import { mcpServerOf, placeholdersOf, toolNodeSpec } from './agent-tool-list';
import { runContext } from './run-context';
import { expressionScope, loadInput, type ExpressionSource, type StepRef } from './step-io';

export interface ToolCallInput extends ExpressionSource {
  key: string;
  seq: number;
  iteration: number;
  inputFrom: StepRef[];
  call: ToolCall;
  tool: ToolRoute;
  /** Set when a reviewer changed the model's arguments before approving. */
  editedArguments?: Record<string, unknown>;
  timeoutMs: number;
  maxAttempts: number;
}

export interface ToolCallResult {
  seq: number;
  ok: boolean;
}

/** What the model reads back of a tool's result; the call record keeps up to 64 KB. */
const MAX_RESULT_CHARS = 32 * 1024;
const MCP_CALL_TIMEOUT_MS = 120_000;

export function resultText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return text.length > MAX_RESULT_CHARS
    ? `${text.slice(0, MAX_RESULT_CHARS)}… [cut: the result had ${text.length} characters]`
    : text;
}

/** `spec` with the params the model supplies made literal: a `{{ … }}` in them is text, not an expression. */
function literalArgs(spec: NodeSpec, args: Record<string, unknown>): NodeSpec {
  const params: ParamDefs = {};
  for (const [key, def] of Object.entries(spec.params))
    params[key] = key in args ? { ...def, ui: { ...def.ui, expression: false } } : def;
  return { ...spec, params };
}

function fillUrl(url: string, args: Record<string, unknown>): { url: string; rest: Record<string, unknown> } {
  const rest = { ...args };
  const filled = url.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (_, name: string) => {
    const value = args[name];
    delete rest[name];
    return encodeURIComponent(value === undefined || value === null ? '' : String(value));
  });
  return { url: filled, rest };
}

export function createToolCall(deps: ActivityDeps) {
  return async function agentRunTool(req: ToolCallInput): Promise<ToolCallResult> {
    const context = Context.current();
    const { attempt } = context.info;
    const { runId, workflowId, node, iteration, call, tool } = req;
    const args = req.editedArguments ?? call.arguments;
    const workspaceId = await workspaceOfWorkflow(workflowId);
    const startedAt = new Date();
    const record: Omit<AgentCall, 'id'> = {
      key: req.key,
      seq: req.seq,
      runId,
      workflowId,
      ...(workspaceId ? { workspaceId } : {}),
      nodeId: node.id,
      nodeName: node.name,
      iteration,
      kind: 'tool',
      name: call.name,
      status: 'running',
      startedAt,
      input: JSON.stringify(args),
      ...(req.editedArguments ? { note: 'A reviewer edited the arguments before approving.' } : {}),
      attempt,
    };
    const live = (status: AgentCall['status'], extra: Record<string, unknown> = {}) =>
      emitAgentEvent({
        kind: 'agent',
        ...(workspaceId ? { workspaceId } : {}),
        nodeName: node.name,
        runId,
        workflowId,
        nodeId: node.id,
        iteration,
        key: req.key,
        seq: req.seq,
        call: 'tool',
        name: call.name,
        status,
        at: new Date().toISOString(),
        ...extra,
      });
    const answer = async (content: string, ok: boolean) => {
      const message: ChatMessage = {
        role: 'tool',
        toolCallId: call.id,
        name: call.name,
        content,
        ...(ok ? {} : { isError: true }),
      };
      await putMessages(req.key, req.seq, [message]);
      const endedAt = new Date();
      const status = ok ? 'succeeded' : 'failed';
      await Promise.all([
        saveCall({
          ...record,
          status,
          endedAt,
          durationMs: endedAt.getTime() - startedAt.getTime(),
          output: content,
          ...(ok ? {} : { error: content }),
        }),
        live(status, ok ? {} : { error: content }),
      ]);
      return { seq: req.seq + 1, ok };
    };

    if (call.rawArguments !== undefined && !req.editedArguments)
      return answer(
        `Error: the arguments were not a JSON object (${call.rawArguments.slice(0, 200)}). Call ${call.name} again with a JSON object matching its schema.`,
        false,
      );
    await Promise.all([saveCall(record), live('running')]);

    const credentials = stepCredentials((id) => openCredentialForRun({ runId, workflowId, nodeId: node.id }, id));
    const abort = new AbortController();
    const onCancel = () => abort.abort(context.cancellationSignal.reason);
    context.cancellationSignal.addEventListener('abort', onCancel);
    const beat = setInterval(() => context.heartbeat(), 1_000);
    const deadline = setTimeout(
      () => abort.abort(new Error(`the tool took longer than ${req.timeoutMs} ms`)),
      req.timeoutMs,
    );
    try {
      const row = agentToolSchema.parse((node.params.tools as unknown[])[tool.index]);
      const idempotencyKey = `${req.key}:${req.seq}`;
      const value = await runTool(deps, req, row, args, {
        idempotencyKey,
        signal: abort.signal,
        context,
        credentials,
      });
      return await answer(resultText(credentials.scrub(value)), true);
    } catch (err) {
      if (err instanceof CancelledFailure || context.cancellationSignal.aborted) {
        await saveCall({ ...record, status: 'failed', endedAt: new Date(), error: 'Cancelled' });
        throw err;
      }
      const info = describeNodeError(credentials.scrubError(err));
      if (info.retryable && attempt < req.maxAttempts) {
        await saveCall({ ...record, status: 'failed', endedAt: new Date(), error: info.message });
        throw toApplicationFailure(info);
      }
      return await answer(`Error: ${info.message}`, false);
    } finally {
      clearInterval(beat);
      clearTimeout(deadline);
      context.cancellationSignal.removeEventListener('abort', onCancel);
    }
  };
}

interface ToolRunEnv {
  idempotencyKey: string;
  signal: AbortSignal;
  context: Context;
  credentials: ReturnType<typeof stepCredentials>;
}

async function runTool(
  deps: ActivityDeps,
  req: ToolCallInput,
  row: AgentTool,
  args: Record<string, unknown>,
  env: ToolRunEnv,
): Promise<unknown> {
  switch (row.kind) {
    case 'node':
      return runNodeTool(deps, req, toolNodeSpec(deps, row), row.params ?? {}, args, env);
    case 'http': {
      const { url, rest } = fillUrl(row.url, args);
      const sendsBody = row.method !== 'GET' && row.method !== 'DELETE';
      const query = !sendsBody ? Object.entries(rest).filter(([k]) => !placeholdersOf(row.url).includes(k)) : [];
      const full = new URL(url);
      for (const [k, v] of query) full.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
      const spec = deps.nodes.get('http-request', 1)!;
      const fixed: Record<string, unknown> = {
        method: row.method,
        url: full.toString(),
        ...(row.credential ? { authentication: 'credential', credential: row.credential } : {}),
        ...(sendsBody ? { bodyType: 'json', body: rest } : {}),
      };
      return runNodeTool(deps, req, spec, fixed, {}, env, true);
    }
    case 'mcp': {
      const { config, scrub } = await mcpServerOf(req, row);
      const remote = req.tool.remoteName ?? req.call.name;
      const { result } = await doOnce(env.idempotencyKey, async () => {
        const r = await callMcpTool(config, remote, args, { signal: env.signal, timeoutMs: MCP_CALL_TIMEOUT_MS });
        return { content: scrub(r.content), isError: r.isError };
      });
      if (result.isError) throw Object.assign(new Error(result.content), { retryable: false, code: 'tool-error' });
      return result.content;
    }
    case 'workflow':
    case 'agent':
      throw new Error(`Tool "${row.name}" (${row.kind}) runs in the workflow, not in this activity.`);
  }
}

/** Runs a node's runner as a tool: the author's fixed params resolved as expressions, the model's taken literally. */
async function runNodeTool(
  deps: ActivityDeps,
  req: ToolCallInput,
  spec: NodeSpec,
  fixed: Record<string, unknown>,
  args: Record<string, unknown>,
  env: ToolRunEnv,
  fixedAreLiteral = false,
): Promise<unknown> {
  const { runId, workflowId, node, iteration } = req;
  const loaded = await loadInput(deps.store, runId, req.inputFrom);
  const literal = fixedAreLiteral ? { ...fixed, ...args } : args;
  const asTool = literalArgs(spec, literal);
  const toolNode = { ...node, type: spec.type, version: spec.version, params: { ...fixed, ...args } };
  const params = await resolveParams(
    asTool,
    { ...fixed, ...args },
    await expressionScope(deps.store, { ...req, node: toolNode }, loaded.value),
  );
  const run = await deps.loadRunner(spec.type, spec.version);
  const ctx = runContext(env.context, {
    runId,
    workflowId,
    node,
    iteration,
    attempt: env.context.info.attempt,
    signal: env.signal,
    heartbeat: (details) => env.context.heartbeat(env.credentials.scrub(details)),
    credential: env.credentials.credential,
    scrub: env.credentials.scrub,
    once: (key, effect) => doOnce(`${env.idempotencyKey}:${key}`, effect),
    files: runFiles({ runId, workflowId, nodeId: node.id }),
    tables: runTables({ workflowId }),
    workspaceId: () => workspaceOfWorkflow(workflowId),
  });
  return run({ ...ctx, idempotencyKey: env.idempotencyKey }, params, loaded.value);
}
