// One model call of an LLM or Agent execution, as an activity on the model's queue (gpu for local models): read the
// transcript, check the run's budget, call the provider with the text streaming live, then write the reply into the
// transcript at its fixed place and record the call with its tokens and cost. Temporal retries it as the node's
// policy says, waiting as long as a rate limit asks; the workflow moves to the fallback model when it gives up.
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { callCost, type ModelCapabilities, type ModelReply, type ToolCall, type ModelErrorKind } from '../contracts/ai';
import {
  putMessages,
  readMessages,
  readTools,
  runUsage,
  saveCall,
  usageSince,
  type AgentCall,
} from '../db/agent-calls';
import { getAiSettings } from '../db/ai-settings';
import { openCredentialForRun } from '../db/credential-use';
import { emitAgentEvent } from './live-events';
import { getModel, localModelPath, type RegisteredModel } from '../db/models';
import { providerFor } from '../nodes/ai/providers';
import { ModelCallError, type ModelTarget } from '../nodes/ai/providers/types';
import { protocolNote, withToolProtocol } from '../nodes/ai/tool-protocol';
import { stepCredentials } from '../nodes/credentials/step-access';
import type { CallSettings } from './agent-start';

export interface ModelCallInput {
  key: string;
  seq: number;
  runId: string;
  workflowId: string;
  workspaceId: string;
  nodeId: string;
  nodeName: string;
  iteration: number;
  modelId: string;
  settings: CallSettings;
  budgetUsd?: number;
  /** The workflow's monthly budget (its settings): its calls this calendar month (UTC) may cost this much. */
  monthlyBudgetUsd?: number;
  /** Said on the call's record: e.g. that this is the fallback model, or a re-ask after a schema mismatch. */
  note?: string;
  timeoutMs: number;
}

export interface ModelCallResult {
  seq: number;
  toolCalls: ToolCall[];
  text: string;
  finishReason: ModelReply['finishReason'];
  costUsd: number;
}

/** Model errors another attempt of the same model cannot fix. */
const FINAL: readonly ModelErrorKind[] = ['context-overflow', 'auth', 'bad-request', 'budget'];
/** How often streamed text is sent on to the browsers (and the activity heartbeats). */
const FLUSH_MS = 150;

/** What a model supports before it was probed: hosted APIs call tools natively, local files go through grammar. */
export function assumedCapabilities(model: RegisteredModel): ModelCapabilities {
  if (model.capabilities) return model.capabilities;
  return model.provider === 'local-gguf'
    ? { toolCalling: false, json: 'grammar', vision: false, notes: ['not probed yet'] }
    : { toolCalling: true, json: 'schema', vision: false, notes: ['not probed yet'] };
}

const failure = (kind: ModelErrorKind, message: string, retryAfterMs?: number) =>
  ApplicationFailure.create({
    message,
    type: `model-${kind}`,
    nonRetryable: FINAL.includes(kind),
    ...(retryAfterMs !== undefined ? { nextRetryDelay: retryAfterMs } : {}),
  });

/** What a call (or a probe) needs to reach `model`: its file for local models, else the credential's URL and key. */
export function modelTarget(
  model: RegisteredModel,
  credentialValues: Record<string, unknown> | undefined,
  timeoutMs: number,
): ModelTarget {
  if (model.provider === 'local-gguf')
    return {
      provider: model.provider,
      model: localModelPath(model.model),
      timeoutMs,
      concurrency: model.concurrency,
      ...(model.contextLength ? { contextLength: model.contextLength } : {}),
    };
  return {
    provider: model.provider,
    model: model.model,
    timeoutMs,
    baseUrl: credentialValues?.baseUrl as string,
    apiKey: (credentialValues?.apiKey as string | undefined) || undefined,
  };
}

/** Refuses the call once the calls of `scope` this calendar month (UTC) have cost `budget`. */
async function checkMonthlyBudget(
  scope: { workflowId: string } | { workspaceId: string },
  budget: number,
  whose: string,
  where: string,
): Promise<void> {
  const now = new Date();
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const spent = (await usageSince(scope, month)).costUsd;
  if (spent >= budget)
    throw failure(
      'budget',
      `AI budget exceeded: ${whose} model calls have cost $${spent.toFixed(4)} this month, of its $${budget.toFixed(4)} monthly budget (${where}`,
    );
}

export function createModelCall() {
  return async function agentModelCall(req: ModelCallInput): Promise<ModelCallResult> {
    const context = Context.current();
    const { attempt } = context.info;
    const model = await getModel(req.workspaceId, req.modelId);
    if (!model) throw failure('bad-request', `Model ${req.modelId} is no longer in this workspace's registry.`);
    if (req.budgetUsd !== undefined) {
      const spent = (await runUsage(req.runId)).costUsd;
      if (spent >= req.budgetUsd)
        throw failure(
          'budget',
          `AI budget exceeded: this run's model calls have cost $${spent.toFixed(4)} of its $${req.budgetUsd.toFixed(4)} budget (node "${req.nodeName}").`,
        );
    }
    if (req.monthlyBudgetUsd !== undefined)
      await checkMonthlyBudget(
        { workflowId: req.workflowId },
        req.monthlyBudgetUsd,
        `this workflow's`,
        `node "${req.nodeName}"); raise it in the workflow's settings.`,
      );
    const workspaceBudget = (await getAiSettings(req.workspaceId)).monthlyBudgetUsd;
    if (workspaceBudget !== undefined)
      await checkMonthlyBudget(
        { workspaceId: req.workspaceId },
        workspaceBudget,
        `this workspace's`,
        `node "${req.nodeName}"); an admin can raise it on the Models page.`,
      );
    const credentials = stepCredentials((id) =>
      openCredentialForRun({ runId: req.runId, workflowId: req.workflowId, nodeId: req.nodeId }, id),
    );
    const target = modelTarget(
      model,
      model.provider === 'local-gguf'
        ? undefined
        : (await credentials.credential(model.credentialId!, [model.provider])).values,
      req.timeoutMs,
    );
    const capabilities = assumedCapabilities(model);
    const [messages, tools] = await Promise.all([readMessages(req.key, req.seq), readTools(req.key)]);
    const notes = [req.note, tools.length && !capabilities.toolCalling ? protocolNote(capabilities) : undefined].filter(
      (n): n is string => !!n,
    );
    const startedAt = new Date();
    const record: Omit<AgentCall, 'id'> = {
      key: req.key,
      seq: req.seq,
      runId: req.runId,
      workflowId: req.workflowId,
      workspaceId: req.workspaceId,
      nodeId: req.nodeId,
      nodeName: req.nodeName,
      iteration: req.iteration,
      kind: 'model',
      name: model.name,
      modelId: model.id,
      provider: model.provider,
      status: 'running',
      startedAt,
      input: JSON.stringify({ messages: messages.length, tools: tools.map((t) => t.name) }),
      ...(notes.length ? { note: notes.join(' ') } : {}),
      attempt,
    };
    const live = (status: AgentCall['status'], extra: Record<string, unknown> = {}) =>
      emitAgentEvent({
        kind: 'agent',
        ...(req.workspaceId ? { workspaceId: req.workspaceId } : {}),
        nodeName: req.nodeName,
        runId: req.runId,
        workflowId: req.workflowId,
        nodeId: req.nodeId,
        iteration: req.iteration,
        key: req.key,
        seq: req.seq,
        call: 'model',
        name: model.name,
        status,
        at: new Date().toISOString(),
        ...extra,
      });
    await Promise.all([saveCall(record), live('running')]);

    let pending = '';
    const flush = () => {
      context.heartbeat();
      if (!pending) return;
      const text = pending;
      pending = '';
      void live('running', { text });
    };
    const timer = setInterval(flush, FLUSH_MS);
    try {
      const provider = withToolProtocol(providerFor(model.provider), capabilities);
      const reply = await provider.chat(target, {
        messages,
        ...(tools.length ? { tools } : {}),
        output: req.settings.output,
        maxTokens: req.settings.maxTokens,
        ...(req.settings.temperature !== undefined ? { temperature: req.settings.temperature } : {}),
        signal: context.cancellationSignal,
        onText: (delta) => {
          pending += delta;
        },
      });
      clearInterval(timer);
      flush();
      const costUsd = callCost(model.prices, reply.usage, reply.computeMs);
      const endedAt = new Date();
      await putMessages(req.key, req.seq, [
        { role: 'assistant', content: reply.text, ...(reply.toolCalls.length ? { toolCalls: reply.toolCalls } : {}) },
      ]);
      const usage = reply.usage;
      await Promise.all([
        saveCall({
          ...record,
          status: 'succeeded',
          endedAt,
          durationMs: endedAt.getTime() - startedAt.getTime(),
          usage,
          costUsd,
          ...(reply.computeMs !== undefined ? { computeMs: reply.computeMs } : {}),
          output: JSON.stringify({ text: reply.text, toolCalls: reply.toolCalls, finishReason: reply.finishReason }),
        }),
        live('succeeded', { usage, costUsd }),
      ]);
      return {
        seq: req.seq + 1,
        toolCalls: reply.toolCalls,
        text: reply.text,
        finishReason: reply.finishReason,
        costUsd,
      };
    } catch (err) {
      clearInterval(timer);
      const cancelled = err instanceof CancelledFailure || context.cancellationSignal.aborted;
      const error = credentials.scrubError(err) as Error;
      const kind: ModelErrorKind = error instanceof ModelCallError ? error.kind : 'server';
      const message = cancelled
        ? `Cancelled: ${error.message}`
        : `Model "${model.name}" failed (${kind}): ${error.message}`;
      const endedAt = new Date();
      await Promise.all([
        saveCall({
          ...record,
          status: 'failed',
          endedAt,
          durationMs: endedAt.getTime() - startedAt.getTime(),
          error: message,
        }),
        live('failed', { error: message }),
      ]);
      if (cancelled) throw err;
      if (error instanceof ApplicationFailure) throw error;
      throw failure(kind, message, error instanceof ModelCallError ? error.retryAfterMs : undefined);
    }
  };
}
