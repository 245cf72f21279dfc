// A conversation with a workflow as the chat page shows it (app/routes/chat.$workflowId.tsx): the chatting Agent's
// stored transcript reduced to what people said and what the assistant answered, and, on top of it while the run
// works, the reply streaming in from live `agent` events, what the Agent is doing, and the messages sent but not yet
// stored. Pure: the server builds the conversation (app/lib/chat.server.ts), the page folds the rest in.
import type { ChatMessage } from '../../../contracts/ai';
import type { RunStatus } from '../../../contracts/run-status';
import type { CallsState, CallView } from '../runs/agent-calls-state';

/** One message of the conversation: `seq` is its place in the Agent's transcript. */
export interface ChatLine {
  seq: number;
  role: 'user' | 'assistant';
  text: string;
}

/**
 * `open`: messages are read; `ended`: the chat is over (closed, idle too long, or the run finished); `failed`: the
 * Agent or the run failed, and `error` says why.
 */
export type ChatPhase = 'open' | 'ended' | 'failed';

export interface ChatSessionView {
  runId: string;
  workflowId: string;
  status: RunStatus;
  phase: ChatPhase;
  error?: string;
  startedAt: string;
  endedAt?: string;
  /** The chatting Agent and its transcript key; absent when the workflow has no Agent in chat mode. */
  agent?: { nodeId: string; name: string; key: string };
  lines: ChatLine[];
}

/** A conversation in the sessions list. */
export interface ChatSessionSummary {
  runId: string;
  /** The run has not finished (its chat may still have ended: the page knows better for the one it shows). */
  open: boolean;
  startedAt: string;
  /** The start of the first message. */
  title: string;
}

export const MAX_CHAT_MESSAGE = 16_000;

/**
 * The lines of a transcript. The opening the Agent wrote before its first model call (system prompt, remembered
 * conversation, prompt) is left out but for the prompt, shown as the person's first message as they typed it (the
 * prompt usually wraps it). `firstCall`: the transcript position of the first model call (the opening's length);
 * unknown before the call starts, when everything written so far is the opening. Tool calls and results are left
 * out, and so are assistant turns that only called tools.
 */
export function conversationOf(
  transcript: ReadonlyArray<{ seq: number; message: ChatMessage }>,
  firstCall: number | undefined,
  firstMessage: string | undefined,
): ChatLine[] {
  const openingEnd = firstCall ?? transcript.length;
  const promptAt = openingEnd - 1;
  const lines: ChatLine[] = [];
  for (const { seq, message } of transcript) {
    if (seq < promptAt) continue;
    if (message.role === 'user')
      lines.push({ seq, role: 'user', text: seq === promptAt && firstMessage ? firstMessage : message.content });
    else if (message.role === 'assistant' && message.content.trim())
      lines.push({ seq, role: 'assistant', text: message.content });
  }
  return lines;
}

/** Calls of the chatting Agent's execution and of the sub-agents it started (keys `<key>/<seq>`). */
const ofAgent = (call: CallView, key: string) => call.key === key || call.key.startsWith(`${key}/`);

export interface LiveTail {
  /** The reply streaming in, until the stored transcript holds it. */
  streaming?: string;
  /** What the Agent is doing now: "Thinking…", "Calling tool X…". */
  activity?: string;
}

/** What the live events add below the stored lines. */
export function liveTail(state: CallsState, key: string, lines: readonly ChatLine[]): LiveTail {
  const lastSeq = lines.at(-1)?.seq ?? -1;
  // A call whose place the stored transcript already holds is over, whatever the events said (one may be missed).
  const calls = Object.values(state.calls).filter((c) => ofAgent(c, key) && (c.key !== key || c.seq > lastSeq));
  const reply = calls
    .filter((c) => c.key === key && c.kind === 'model' && c.status !== 'failed' && c.streamed)
    .sort((a, b) => a.seq - b.seq)
    .at(-1);
  const tool = calls.find((c) => c.kind === 'tool' && c.status === 'running');
  const thinking = calls.some((c) => c.kind === 'model' && c.status === 'running' && !c.streamed);
  return {
    ...(reply?.streamed ? { streaming: reply.streamed } : {}),
    ...(tool ? { activity: `Calling tool ${tool.name}…` } : thinking ? { activity: 'Thinking…' } : {}),
  };
}

/** A message sent but not yet in the stored conversation. */
export interface PendingLine {
  id: number;
  text: string;
  /** The last stored line when it was sent: the stored copy comes after it. */
  afterSeq: number;
}

/** Pending messages the stored conversation does not hold yet. */
export function unconfirmed(pending: readonly PendingLine[], lines: readonly ChatLine[]): PendingLine[] {
  const taken = new Set<number>();
  return pending.filter((p) => {
    const stored = lines.find((l) => l.role === 'user' && l.seq > p.afterSeq && l.text === p.text && !taken.has(l.seq));
    if (stored) taken.add(stored.seq);
    return !stored;
  });
}

/** Whether the assistant owes an answer: the conversation ends with something the person said. */
export const awaitsAnswer = (lines: readonly ChatLine[]) => lines.at(-1)?.role === 'user';
