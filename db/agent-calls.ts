// What LLM and Agent nodes leave behind (docs/decisions/053-agents.md):
// - the transcript of each agent execution, one message per record at a fixed sequence number, so an activity that
//   runs again writes the same place instead of appending twice, and Temporal history carries only numbers;
// - one record per model call and per tool call, with tokens, cost and timings: the run page's call list, the agent
//   activity feed and every rollup (node, run, workflow, workspace) read these.
// Conversation memory (a transcript kept across runs under a key the node names) is here too.
import mongoose, { Schema } from 'mongoose';
import type { ChatMessage, TokenUsage, ToolDefinition } from '../contracts/ai';

/** `<run id>:<node id>:<iteration>`, plus `/<tool call id>` per nested agent: one agent execution's transcript. */
export type AgentKey = string;

interface MessageDoc {
  _id: string; // `<key>#<seq>`, seq zero-padded so the ids sort
  key: AgentKey;
  seq: number;
  message: string; // a ChatMessage as JSON: user data stays opaque (ARCHITECTURE.md storage rules)
}

export type AgentCallStatus = 'running' | 'succeeded' | 'failed' | 'rejected';

export interface AgentCall {
  id: string;
  key: AgentKey;
  seq: number;
  runId: string;
  workflowId: string;
  workspaceId?: string;
  nodeId: string;
  nodeName: string;
  iteration: number;
  kind: 'model' | 'tool';
  /** The model's registry name, or the tool's name. */
  name: string;
  modelId?: string;
  provider?: string;
  status: AgentCallStatus;
  startedAt: Date;
  endedAt?: Date;
  durationMs?: number;
  usage?: TokenUsage;
  costUsd?: number;
  computeMs?: number;
  /** Tool calls: the arguments; model calls: what was asked (the transcript length, tools offered). */
  input?: string;
  /** The reply's text or tool calls, or the tool's result, as JSON (cut at 64 KB). */
  output?: string;
  error?: string;
  /** Said once per call: tools through a JSON protocol, a fallback model used, arguments edited by a reviewer. */
  note?: string;
  attempt: number;
}

type CallDoc = Omit<AgentCall, 'id'> & { _id: string };

const MessageModel =
  (mongoose.models.AgentMessage as mongoose.Model<MessageDoc>) ??
  mongoose.model<MessageDoc>(
    'AgentMessage',
    new Schema<MessageDoc>(
      {
        _id: { type: String, required: true },
        key: { type: String, required: true, index: true },
        seq: { type: Number, required: true },
        message: { type: String, required: true },
      },
      { collection: 'agent_messages', versionKey: false },
    ),
  );

const CallModel =
  (mongoose.models.AgentCall as mongoose.Model<CallDoc>) ??
  mongoose.model<CallDoc>(
    'AgentCall',
    (() => {
      const schema = new Schema<CallDoc>(
        {
          _id: { type: String, required: true },
          key: { type: String, required: true },
          seq: { type: Number, required: true },
          runId: { type: String, required: true, index: true },
          workflowId: { type: String, required: true },
          workspaceId: String,
          nodeId: { type: String, required: true },
          nodeName: { type: String, required: true },
          iteration: { type: Number, required: true },
          kind: { type: String, required: true },
          name: { type: String, required: true },
          modelId: String,
          provider: String,
          status: { type: String, required: true },
          startedAt: { type: Date, required: true },
          endedAt: Date,
          durationMs: Number,
          usage: Schema.Types.Mixed,
          costUsd: Number,
          computeMs: Number,
          input: String,
          output: String,
          error: String,
          note: String,
          attempt: { type: Number, required: true },
        },
        { collection: 'agent_calls', versionKey: false },
      );
      schema.index({ workspaceId: 1, startedAt: -1 });
      schema.index({ workflowId: 1, startedAt: -1 });
      return schema;
    })(),
  );

interface MemoryDoc {
  _id: string; // `<workspace id>:<memory key>`
  workspaceId: string;
  messages: string; // ChatMessage[] as JSON
  updatedAt: Date;
}

const MemoryModel =
  (mongoose.models.AgentMemory as mongoose.Model<MemoryDoc>) ??
  mongoose.model<MemoryDoc>(
    'AgentMemory',
    new Schema<MemoryDoc>(
      {
        _id: { type: String, required: true },
        workspaceId: { type: String, required: true, index: true },
        messages: { type: String, required: true },
        updatedAt: { type: Date, required: true },
      },
      { collection: 'agent_memory', versionKey: false },
    ),
  );

export const MAX_STORED_OUTPUT = 64 * 1024;

const messageId = (key: AgentKey, seq: number) => `${key}#${String(seq).padStart(5, '0')}`;

/** Writes the messages at `seq`, `seq + 1`…: written again by a repeated activity, they replace what was there. */
export async function putMessages(key: AgentKey, seq: number, messages: ChatMessage[]): Promise<number> {
  await Promise.all(
    messages.map((message, i) =>
      MessageModel.collection.replaceOne(
        { _id: messageId(key, seq + i) } as never,
        { key, seq: seq + i, message: JSON.stringify(message) } as never,
        { upsert: true },
      ),
    ),
  );
  return seq + messages.length;
}

/** The tools offered in an execution, kept beside its transcript (at sequence -1). */
export async function putTools(key: AgentKey, tools: ToolDefinition[]): Promise<void> {
  await MessageModel.collection.replaceOne(
    { _id: `${key}#tools` } as never,
    { key, seq: -1, message: JSON.stringify(tools) } as never,
    { upsert: true },
  );
}

export async function readTools(key: AgentKey): Promise<ToolDefinition[]> {
  const doc = (await MessageModel.collection.findOne({ _id: `${key}#tools` } as never)) as unknown as MessageDoc | null;
  return doc ? (JSON.parse(doc.message) as ToolDefinition[]) : [];
}

/** The transcript's first `count` messages, in order. A missing one means the store lost it: that is an error. */
export async function readMessages(key: AgentKey, count: number): Promise<ChatMessage[]> {
  const docs = (await MessageModel.collection.find({ key } as never).toArray()) as unknown as MessageDoc[];
  const bySeq = new Map(docs.filter((d) => d.seq >= 0).map((d) => [d.seq, d]));
  const out: ChatMessage[] = [];
  for (let seq = 0; seq < count; seq++) {
    const doc = bySeq.get(seq);
    if (!doc) throw new Error(`The transcript of agent execution ${key} has no message ${seq}; it cannot go on.`);
    out.push(JSON.parse(doc.message) as ChatMessage);
  }
  return out;
}

/** Every message written so far, in order: for readers of a transcript still growing (the chat page). */
export async function readTranscript(key: AgentKey): Promise<Array<{ seq: number; message: ChatMessage }>> {
  const docs = (await MessageModel.collection.find({ key } as never).toArray()) as unknown as MessageDoc[];
  return docs
    .filter((d) => d.seq >= 0)
    .sort((a, b) => a.seq - b.seq)
    .map((d) => ({ seq: d.seq, message: JSON.parse(d.message) as ChatMessage }));
}

export async function readMemory(workspaceId: string, memoryKey: string): Promise<ChatMessage[]> {
  const doc = await MemoryModel.collection.findOne({ _id: `${workspaceId}:${memoryKey}` } as never);
  return doc ? (JSON.parse((doc as unknown as MemoryDoc).messages) as ChatMessage[]) : [];
}

export async function writeMemory(workspaceId: string, memoryKey: string, messages: ChatMessage[]): Promise<void> {
  await MemoryModel.collection.replaceOne(
    { _id: `${workspaceId}:${memoryKey}` } as never,
    { workspaceId, messages: JSON.stringify(messages), updatedAt: new Date() } as never,
    { upsert: true },
  );
}

/** A call's record id: its transcript place, and for model calls the model (a fallback is a call of its own). */
export const callId = (call: Pick<AgentCall, 'key' | 'seq' | 'kind' | 'modelId'>) =>
  `${call.key}@${String(call.seq).padStart(5, '0')}${call.kind === 'model' && call.modelId ? `:${call.modelId}` : ''}`;

/** Records a call as it starts or ends; the same call written again (a retried attempt) replaces its record. */
export async function saveCall(call: Omit<AgentCall, 'id'>): Promise<void> {
  const doc = {
    ...call,
    ...(call.output !== undefined && call.output.length > MAX_STORED_OUTPUT
      ? { output: `${call.output.slice(0, MAX_STORED_OUTPUT)}…` }
      : {}),
  };
  await CallModel.collection.replaceOne({ _id: callId(call) } as never, doc as never, { upsert: true });
}

const toCall = ({ _id, ...rest }: CallDoc): AgentCall => ({ id: _id, ...rest });

export async function callsOfRun(runId: string): Promise<AgentCall[]> {
  const docs = (await CallModel.collection.find({ runId } as never).toArray()) as unknown as CallDoc[];
  return docs.map(toCall).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.seq - b.seq);
}

/** Newest first, for the activity feed: `before` pages back; `workflowId` and `name` filter. */
export async function recentCalls(
  workspaceId: string,
  opts: { limit: number; before?: Date; workflowId?: string; nodeName?: string },
): Promise<AgentCall[]> {
  const filter: Record<string, unknown> = { workspaceId };
  if (opts.workflowId) filter.workflowId = opts.workflowId;
  if (opts.nodeName) filter.nodeName = opts.nodeName;
  if (opts.before) filter.startedAt = { $lt: opts.before };
  const docs = (await CallModel.collection
    .find(filter as never)
    .sort({ startedAt: -1 })
    .limit(opts.limit)
    .toArray()) as unknown as CallDoc[];
  return docs.map(toCall);
}

export interface UsageTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  computeMs: number;
}

export const NO_USAGE: UsageTotals = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, computeMs: 0 };

/** Sums the model calls of `calls` (tool calls cost nothing here). */
export function sumUsage(calls: readonly Pick<AgentCall, 'kind' | 'usage' | 'costUsd' | 'computeMs'>[]): UsageTotals {
  const totals = { ...NO_USAGE };
  for (const c of calls) {
    if (c.kind !== 'model' || !c.usage) continue;
    totals.calls += 1;
    totals.inputTokens += c.usage.inputTokens;
    totals.outputTokens += c.usage.outputTokens;
    totals.costUsd += c.costUsd ?? 0;
    totals.computeMs += c.computeMs ?? 0;
  }
  return totals;
}

/**
 * What a run's model calls cost so far: the run budget's reading, taken before every model call. Only the usage
 * fields are read: a long agent run has many calls, and their prompts and replies are most of each document.
 */
export async function runUsage(runId: string): Promise<UsageTotals> {
  const rows = await CallModel.collection
    .find({ runId, kind: 'model' } as never, { projection: { _id: 0, kind: 1, usage: 1, costUsd: 1, computeMs: 1 } })
    .toArray();
  return sumUsage(rows as unknown as Array<Pick<AgentCall, 'kind' | 'usage' | 'costUsd' | 'computeMs'>>);
}

/** Totals over a workflow's or a workspace's calls since `since` (a grouped aggregation by the indexed field). */
export async function usageSince(
  scope: { workspaceId: string } | { workflowId: string },
  since: Date,
): Promise<UsageTotals> {
  const sums: Record<keyof UsageTotals, 1 | string> = {
    calls: 1,
    inputTokens: '$usage.inputTokens',
    outputTokens: '$usage.outputTokens',
    costUsd: '$costUsd',
    computeMs: '$computeMs',
  };
  // FerretDB 1.24 gets only the first accumulator of a $group right (the others come back 0): one $group per sum.
  const totals = await Promise.all(
    Object.entries(sums).map(async ([name, value]) => {
      const [row] = await CallModel.collection
        .aggregate([
          { $match: { ...scope, kind: 'model', startedAt: { $gte: since } } },
          { $group: { _id: null, sum: { $sum: value } } },
        ])
        .toArray();
      return [name, typeof row?.sum === 'number' ? row.sum : 0] as const;
    }),
  );
  return { ...NO_USAGE, ...Object.fromEntries(totals) };
}
