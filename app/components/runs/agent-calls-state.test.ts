// How the agent panel folds live `agent` events and stored call records together: streamed text grows in order, an
// ended call's record replaces it (unless the record lags behind the events), and sub-agents sit under their tool call.
import {
  applyAgentEvent,
  applyRecords,
  awaitsRecords,
  callRows,
  callSlot,
  callsOfStep,
  costLabel,
  EMPTY_CALLS,
  replyOf,
  totalsOf,
  type AgentCallInfo,
  type AgentEvent,
  type CallsState,
} from './agent-calls-state';

const KEY = 'run-1:agent:0';

const event = (seq: number, status: AgentEvent['status'], extra: Partial<AgentEvent> = {}): AgentEvent => ({
  kind: 'agent',
  runId: 'run-1',
  workflowId: 'wf',
  workspaceId: 'ws',
  nodeId: 'agent',
  nodeName: 'Agent',
  iteration: 0,
  key: KEY,
  seq,
  call: 'model',
  name: 'local-model',
  status,
  at: `2026-12-01T10:00:0${seq}.000Z`,
  ...extra,
});

const record = (seq: number, extra: Partial<AgentCallInfo> = {}): AgentCallInfo => ({
  id: `${KEY}@${String(seq).padStart(5, '0')}`,
  key: KEY,
  seq,
  runId: 'run-1',
  workflowId: 'wf',
  workspaceId: 'ws',
  nodeId: 'agent',
  nodeName: 'Agent',
  iteration: 0,
  kind: 'model',
  name: 'local-model',
  status: 'succeeded',
  startedAt: `2026-12-01T10:00:0${seq}.000Z`,
  attempt: 1,
  ...extra,
});

const fold = (events: AgentEvent[], state: CallsState = EMPTY_CALLS) => events.reduce(applyAgentEvent, state);

test('text deltas append in the order they arrive, per call', () => {
  const state = fold([
    event(1, 'running'),
    event(1, 'running', { text: 'Hel' }),
    event(3, 'running', { key: 'other:agent:0', text: 'Other ' }),
    event(1, 'running', { text: 'lo, ' }),
    event(1, 'running', { text: 'world' }),
  ]);
  expect(state.calls[callSlot(KEY, 1)]).toMatchObject({
    status: 'running',
    streamed: 'Hello, world',
    nodeName: 'Agent',
  });
  expect(state.calls[callSlot('other:agent:0', 3)].streamed).toBe('Other ');
  expect(replyOf(state.calls[callSlot(KEY, 1)]).text).toBe('Hello, world');
});

test('a new attempt of the call starts its text again', () => {
  let state = fold([
    event(1, 'running'),
    event(1, 'running', { text: 'partial' }),
    event(1, 'failed', { error: 'boom' }),
  ]);
  expect(state.calls[callSlot(KEY, 1)]).toMatchObject({ status: 'failed', error: 'boom', streamed: 'partial' });
  state = fold([event(1, 'running'), event(1, 'running', { text: 'again' })], state);
  expect(state.calls[callSlot(KEY, 1)]).toMatchObject({ status: 'running', streamed: 'again' });
  expect(state.calls[callSlot(KEY, 1)].error).toBeUndefined();
});

test('the record of an earlier attempt does not replace the attempt streaming now', () => {
  let state = fold([event(1, 'running'), event(1, 'failed', { error: 'timeout' })]);
  state = fold(
    [event(1, 'running', { at: '2026-12-01T10:00:30.000Z' }), event(1, 'running', { text: 'second' })],
    state,
  );
  state = applyRecords(state, [record(1, { status: 'failed', endedAt: '2026-12-01T10:00:20.000Z', error: 'timeout' })]);
  expect(state.calls[callSlot(KEY, 1)]).toMatchObject({ status: 'running', streamed: 'second' });
  state = applyRecords(state, [record(1, { status: 'running', attempt: 2, startedAt: '2026-12-01T10:00:30.000Z' })]);
  expect(state.calls[callSlot(KEY, 1)]).toMatchObject({ status: 'running', streamed: 'second', attempt: 2 });
});

test('the stored record replaces the streamed text once the call has ended', () => {
  let state = fold([event(1, 'running'), event(1, 'running', { text: 'The answ' })]);
  // A fetch while the call runs: the record has no reply yet, the streamed text stays.
  state = applyRecords(state, [record(1, { status: 'running' })]);
  expect(state.calls[callSlot(KEY, 1)]).toMatchObject({ status: 'running', streamed: 'The answ' });
  state = fold([event(1, 'running', { text: 'er is 42' })], state);
  expect(replyOf(state.calls[callSlot(KEY, 1)]).text).toBe('The answer is 42');

  state = fold([event(1, 'succeeded', { usage: { inputTokens: 21, outputTokens: 8 }, costUsd: 0.0003 })], state);
  expect(state.calls[callSlot(KEY, 1)]).toMatchObject({
    status: 'succeeded',
    usage: { inputTokens: 21, outputTokens: 8 },
  });
  expect(awaitsRecords(state)).toBe(true);

  const stored = record(1, {
    output: JSON.stringify({ text: 'The answer is 42.', toolCalls: [], finishReason: 'stop' }),
    usage: { inputTokens: 21, outputTokens: 9 },
    costUsd: 0.0004,
  });
  state = applyRecords(state, [stored]);
  expect(state.calls[callSlot(KEY, 1)].streamed).toBeUndefined();
  expect(state.calls[callSlot(KEY, 1)].stale).toBeUndefined();
  expect(replyOf(state.calls[callSlot(KEY, 1)]).text).toBe('The answer is 42.');
  expect(totalsOf(Object.values(state.calls))).toMatchObject({ inputTokens: 21, outputTokens: 9, costUsd: 0.0004 });
  expect(awaitsRecords(state)).toBe(false);
  // A late delta of the ended call changes nothing.
  expect(fold([event(1, 'running', { text: 'late' })], state)).toBe(state);
});

test('a record that lags behind an end event does not undo the end', () => {
  let state = fold([event(1, 'running'), event(1, 'running', { text: 'abc' }), event(1, 'failed', { error: 'rate' })]);
  state = applyRecords(state, [record(1, { status: 'running' })]);
  expect(state.calls[callSlot(KEY, 1)]).toMatchObject({ status: 'failed', error: 'rate', stale: true });
  expect(awaitsRecords(state)).toBe(true);
  state = applyRecords(state, [record(1, { status: 'failed', error: 'Model "local-model" failed (rate-limit)' })]);
  expect(state.calls[callSlot(KEY, 1)]).toMatchObject({
    status: 'failed',
    error: 'Model "local-model" failed (rate-limit)',
  });
  expect(awaitsRecords(state)).toBe(false);
});

test('records fetched before an event keep the event; events of calls not fetched add them', () => {
  let state = applyRecords(EMPTY_CALLS, [record(1)]);
  state = fold([event(2, 'running', { call: 'tool', name: 'lookup' })], state);
  expect(Object.keys(state.calls).sort()).toEqual([callSlot(KEY, 1), callSlot(KEY, 2)]);
  expect(state.calls[callSlot(KEY, 2)]).toMatchObject({ kind: 'tool', name: 'lookup', status: 'running' });
  expect(state.calls[callSlot(KEY, 2)].streamed).toBeUndefined();
});

test("a sub-agent's calls sit under the tool call that started it, even one without a record", () => {
  const asks = (calls: Array<{ name: string; arguments: Record<string, unknown> }>) =>
    JSON.stringify({ text: '', toolCalls: calls.map((c, i) => ({ id: `c${i}`, ...c })), finishReason: 'tool-calls' });
  const sub = `${KEY}/3`;
  const state = applyRecords(EMPTY_CALLS, [
    // Out of order on purpose: the rows are ordered by position, not by arrival.
    record(5, { startedAt: '2026-12-01T10:00:09.000Z' }),
    record(0, { key: sub, seq: 2, startedAt: '2026-12-01T10:00:04.000Z' }),
    record(1, {
      output: asks([
        { name: 'lookup', arguments: { id: 7 } },
        { name: 'researcher', arguments: { task: 'dig' } },
      ]),
    }),
    record(2, { kind: 'tool', name: 'lookup', startedAt: '2026-12-01T10:00:02.000Z' }),
    record(0, { key: sub, seq: 3, kind: 'tool', name: 'fetch', startedAt: '2026-12-01T10:00:05.000Z' }),
    record(0, { key: sub, seq: 4, status: 'running', startedAt: '2026-12-01T10:00:06.000Z' }),
  ]);
  const rows = callRows(Object.values(state.calls)).map((r) => [
    r.call.key,
    r.call.seq,
    r.call.name,
    r.depth,
    !!r.derived,
  ]);
  expect(rows).toEqual([
    [KEY, 1, 'local-model', 0, false],
    [KEY, 2, 'lookup', 0, false],
    [KEY, 3, 'researcher', 0, true],
    [sub, 2, 'local-model', 1, false],
    [sub, 3, 'fetch', 1, false],
    [sub, 4, 'local-model', 1, false],
    [KEY, 5, 'local-model', 0, false],
  ]);
  const derived = callRows(Object.values(state.calls))[2].call;
  expect(derived).toMatchObject({ kind: 'tool', status: 'running', input: '{"task":"dig"}' });
});

test("a sub-agent whose parent's calls are not shown starts its own group", () => {
  const state = applyRecords(EMPTY_CALLS, [record(2, { key: `${KEY}/4` }), record(1, { key: 'run-1:other:0' })]);
  expect(callRows(Object.values(state.calls)).map((r) => [r.call.key, r.depth])).toEqual([
    ['run-1:other:0', 0],
    [`${KEY}/4`, 0],
  ]);
});

test("a step's calls are its node's in its iteration, sub-agents included", () => {
  const state = applyRecords(EMPTY_CALLS, [
    record(1),
    record(2, { key: `${KEY}/2` }),
    record(1, { key: 'run-1:agent:1', iteration: 1 }),
    record(1, { key: 'run-1:llm:0', nodeId: 'llm' }),
  ]);
  expect(
    callsOfStep(state, 'agent', 0)
      .map((c) => c.key)
      .sort(),
  ).toEqual([KEY, `${KEY}/2`]);
});

test('totals count both kinds and sum the model calls, running ones without usage included', () => {
  const state = applyRecords(EMPTY_CALLS, [
    record(1, { usage: { inputTokens: 100, outputTokens: 20 }, costUsd: 0.00012 }),
    record(2, { kind: 'tool', name: 'lookup' }),
    record(3, { usage: { inputTokens: 150, outputTokens: 30 }, costUsd: 0.00018 }),
    record(4, { status: 'running' }),
  ]);
  expect(totalsOf(Object.values(state.calls))).toEqual({
    modelCalls: 3,
    toolCalls: 1,
    inputTokens: 250,
    outputTokens: 50,
    costUsd: 0.00012 + 0.00018,
  });
  expect(costLabel(0.0003)).toBe('$0.0003');
});
