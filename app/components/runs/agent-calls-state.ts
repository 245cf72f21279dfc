// The model and tool calls of LLM and Agent executions as the browser holds them: stored call records
// (GET /api/runs/:id/agent-calls, /api/agent-activity) folded together with live `agent` events. A running model
// call's text grows from the events' deltas; when the call ends, its stored record replaces what was streamed.
// Pure functions, shared by the run page's agent panel and the agent activity feed.
import type { RunEvent } from '../../../contracts/live-events';
import type { ToolCall } from '../../../contracts/ai';
import type { AgentCall, AgentCallStatus } from '../../../db/agent-calls';

/** A call record as the API sends it: dates as ISO strings. */
export type AgentCallInfo = Omit<AgentCall, 'startedAt' | 'endedAt'> & { startedAt: string; endedAt?: string };

export type AgentEvent = Extract<RunEvent, { kind: 'agent' }>;

/** A call as the page shows it: its stored record, or what the live events have said of it so far. */
export interface CallView extends AgentCallInfo {
  /** Model calls: the text received so far while the call runs; the stored reply replaces it. */
  streamed?: string;
  /** Set when an event said more than the stored record we hold: the next fetch of the records should replace it. */
  stale?: boolean;
}

/** Calls by slot (`key#seq`): one execution's transcript position holds one call, whatever its attempt. */
export interface CallsState {
  calls: Record<string, CallView>;
}

export const EMPTY_CALLS: CallsState = { calls: {} };

export const callSlot = (key: string, seq: number) => `${key}#${seq}`;

export const isEnded = (status: AgentCallStatus) => status !== 'running';

function fromEvent(event: AgentEvent): CallView {
  return {
    id: callSlot(event.key, event.seq),
    key: event.key,
    seq: event.seq,
    runId: event.runId,
    workflowId: event.workflowId,
    ...(event.workspaceId ? { workspaceId: event.workspaceId } : {}),
    nodeId: event.nodeId,
    nodeName: event.nodeName ?? event.nodeId,
    iteration: event.iteration,
    kind: event.call,
    name: event.name,
    status: event.status,
    startedAt: event.at,
    attempt: 1,
    ...(event.call === 'model' ? { streamed: '' } : {}),
    stale: true,
  };
}

/** The call `event` speaks of, as it stands after the event; undefined when the event tells nothing new. */
function afterEvent(current: CallView | undefined, event: AgentEvent): CallView | undefined {
  // A stored record that has ended is the truth; only a new attempt after a failure reopens it.
  const settled = current && !current.stale && isEnded(current.status);
  if (event.status === 'running') {
    if (event.text === undefined) {
      // An attempt starts: what an earlier attempt streamed or ended with no longer holds.
      if (settled && current.status === 'succeeded') return undefined;
      const base = current ?? fromEvent(event);
      const { output: _o, error: _e, endedAt: _t, durationMs: _d, usage: _u, costUsd: _c, ...rest } = base;
      return {
        ...rest,
        status: 'running',
        startedAt: event.at,
        ...(event.call === 'model' ? { streamed: '' } : {}),
        stale: true,
      };
    }
    if (current && isEnded(current.status)) return undefined;
    const base = current ?? fromEvent(event);
    return { ...base, status: 'running', streamed: (base.streamed ?? '') + event.text };
  }
  if (settled && current.status === event.status) return undefined;
  const base = current ?? fromEvent(event);
  return {
    ...base,
    status: event.status,
    endedAt: event.at,
    ...(event.usage ? { usage: event.usage } : {}),
    ...(event.costUsd !== undefined ? { costUsd: event.costUsd } : {}),
    ...(event.error !== undefined ? { error: event.error } : {}),
    stale: true,
  };
}

/** Folds one live event in. Events arrive in the order they were sent, so text deltas append in order. */
export function applyAgentEvent(state: CallsState, event: AgentEvent): CallsState {
  const slot = callSlot(event.key, event.seq);
  const next = afterEvent(state.calls[slot], event);
  return next ? { calls: { ...state.calls, [slot]: next } } : state;
}

/**
 * Folds stored records in. A record replaces what the events built, except where it lags behind them: a record
 * still `running` keeps the text streamed so far and does not undo an end an event already announced, and the
 * record of an earlier attempt does not replace the attempt the events show running.
 */
export function applyRecords(state: CallsState, records: readonly AgentCallInfo[]): CallsState {
  if (records.length === 0) return state;
  const calls = { ...state.calls };
  for (const record of records) {
    const slot = callSlot(record.key, record.seq);
    const current = calls[slot];
    const earlier = record.endedAt !== undefined && record.endedAt < (current?.startedAt ?? '');
    if (current?.stale && current.status === 'running' && isEnded(record.status) && earlier) {
      // The record of an attempt that ended before the one now streaming.
      continue;
    }
    if (record.status === 'running' && current?.stale && isEnded(current.status)) {
      const { status, endedAt, usage, costUsd, error, streamed } = current;
      calls[slot] = { ...record, status, endedAt, usage, costUsd, error, streamed, stale: true };
    } else if (record.status === 'running' && current?.streamed) {
      calls[slot] = { ...record, streamed: current.streamed };
    } else {
      calls[slot] = { ...record };
    }
  }
  return { calls };
}

/** Whether some call ended by an event has no ended record yet (the records should be fetched again). */
export const awaitsRecords = (state: CallsState) =>
  Object.values(state.calls).some((c) => c.stale && isEnded(c.status));

/** What a model call answered: the streamed text while it runs, else the stored reply's text and tool calls. */
export function replyOf(call: CallView): { text: string; toolCalls: ToolCall[] } {
  if (call.status === 'running' || !call.output) return { text: call.streamed ?? '', toolCalls: [] };
  try {
    const parsed = JSON.parse(call.output) as { text?: unknown; toolCalls?: unknown };
    return {
      text: typeof parsed.text === 'string' ? parsed.text : '',
      toolCalls: Array.isArray(parsed.toolCalls) ? (parsed.toolCalls as ToolCall[]) : [],
    };
  } catch {
    // Cut at 64 KB when stored: show what there is.
    return { text: call.output, toolCalls: [] };
  }
}

/** A row of the call list: a call, how deep it sits (sub-agents under the tool call that started them). */
export interface CallRow {
  call: CallView;
  depth: number;
  /**
   * The row has no record of its own: a tool call that started a sub-agent, known from the model call that asked for
   * it and from the sub-agent's calls.
   */
  derived?: boolean;
  /** The tool call started a sub-agent, whose calls follow one level deeper. */
  subAgent?: boolean;
}

/** `key/seq` → its parent execution's key and the position of the tool call that started it. */
function parentOf(key: string): { key: string; seq: number } | undefined {
  const at = key.lastIndexOf('/');
  if (at < 0) return undefined;
  const seq = Number(key.slice(at + 1));
  return Number.isInteger(seq) ? { key: key.slice(0, at), seq } : undefined;
}

const bySeq = (a: CallView, b: CallView) => a.seq - b.seq;
const byStart = (a: CallView, b: CallView) => a.startedAt.localeCompare(b.startedAt) || a.seq - b.seq;

/** The tool call at `seq` of `own`, rebuilt from the model call that asked for it (tool calls follow their reply). */
function derivedToolCall(key: string, seq: number, own: CallView[], below: CallView[]): CallView {
  const asker = own.filter((c) => c.kind === 'model' && c.seq < seq).at(-1);
  const asked = asker ? replyOf(asker).toolCalls[seq - asker.seq - 1] : undefined;
  const first = [...below].sort(byStart)[0];
  const last = [...below].sort(bySeq).at(-1);
  const running = below.some((c) => c.status === 'running');
  return {
    id: callSlot(key, seq),
    key,
    seq,
    runId: first.runId,
    workflowId: first.workflowId,
    ...(first.workspaceId ? { workspaceId: first.workspaceId } : {}),
    nodeId: first.nodeId,
    nodeName: first.nodeName,
    iteration: first.iteration,
    kind: 'tool',
    name: asked?.name ?? 'sub-agent',
    status: running ? 'running' : (last?.status ?? 'running'),
    startedAt: first.startedAt,
    ...(asked ? { input: JSON.stringify(asked.arguments) } : {}),
    attempt: 1,
  };
}

/**
 * The calls in reading order: each execution's calls by transcript position, a sub-agent's (key `parent/seq`) right
 * under the tool call at `seq` that started it, one level deeper. Executions start in the order they started.
 */
export function callRows(calls: readonly CallView[]): CallRow[] {
  const byKey = new Map<string, CallView[]>();
  for (const call of calls) byKey.set(call.key, [...(byKey.get(call.key) ?? []), call]);
  const children = new Map<string, Map<number, string>>();
  for (const key of byKey.keys()) {
    const parent = parentOf(key);
    if (!parent || !byKey.has(parent.key)) continue;
    if (!children.has(parent.key)) children.set(parent.key, new Map());
    children.get(parent.key)!.set(parent.seq, key);
  }
  const rows: CallRow[] = [];
  const walk = (key: string, depth: number) => {
    const own = [...(byKey.get(key) ?? [])].sort(bySeq);
    const subs = children.get(key) ?? new Map<number, string>();
    const seqs = [...new Set([...own.map((c) => c.seq), ...subs.keys()])].sort((a, b) => a - b);
    for (const seq of seqs) {
      const call = own.find((c) => c.seq === seq);
      const sub = subs.get(seq);
      if (call) rows.push({ call, depth, ...(sub ? { subAgent: true } : {}) });
      else if (sub) rows.push({ call: derivedToolCall(key, seq, own, byKey.get(sub) ?? []), depth, derived: true });
      if (sub) walk(sub, depth + 1);
    }
  };
  const roots = [...byKey.keys()].filter((key) => {
    const parent = parentOf(key);
    return !parent || !byKey.has(parent.key);
  });
  const firstStart = (key: string) => [...byKey.get(key)!].sort(byStart)[0].startedAt;
  roots.sort((a, b) => firstStart(a).localeCompare(firstStart(b)) || a.localeCompare(b));
  for (const root of roots) walk(root, 0);
  return rows;
}

export interface CallTotals {
  modelCalls: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Sums of `calls`: counts of each kind; tokens and cost of the model calls that reported them. */
export function totalsOf(calls: readonly CallView[]): CallTotals {
  const totals: CallTotals = { modelCalls: 0, toolCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
  for (const call of calls) {
    if (call.kind === 'tool') {
      totals.toolCalls += 1;
      continue;
    }
    totals.modelCalls += 1;
    totals.inputTokens += call.usage?.inputTokens ?? 0;
    totals.outputTokens += call.usage?.outputTokens ?? 0;
    totals.costUsd += call.costUsd ?? 0;
  }
  return totals;
}

/** The calls of one node's execution (all its sub-agents included): a node in a loop runs once per iteration. */
export const callsOfStep = (state: CallsState, nodeId: string, iteration: number) =>
  Object.values(state.calls).filter((c) => c.nodeId === nodeId && c.iteration === iteration);

/** "$0.0123": costs are small; four decimals show a single cheap call. */
export const costLabel = (usd: number) => `$${usd.toFixed(4)}`;

const COUNT = new Intl.NumberFormat('en-US');
export const tokensLabel = (input: number, output: number) => `${COUNT.format(input)} in · ${COUNT.format(output)} out`;
