// Chains of pure nodes (Set fields) run as one local activity each: a real worker process, Temporal and the
// Mongo-protocol server, documents compiled by the real compiler, HTTP nodes calling a loopback sink. What ran
// where is read from the run's Temporal history; what users see from step records and live events.
import { listRunEvents } from '../db/events';
import type { StepView } from '../db/steps';
import { getTemporalClient } from '../temporal/client';
import { compileOrThrow, startRunHarness, workflowDoc, type DocNode, type RunHarness } from '../test/run-harness';
import { startSink, type Sink } from '../test/sink';
import { countEntries, historyEntries, type HistoryEntry } from './run-history';

let h: RunHarness;
let sink: Sink;

beforeAll(async () => {
  h = await startRunHarness('pure-chains');
  sink = await startSink();
  await h.startWorker();
}, 180_000);

afterAll(async () => {
  await sink?.close();
  await h?.close();
});

const trigger = { id: 'Start', type: 'manual-trigger' };
const set = (id: string, fields: Record<string, unknown>, extra: Partial<DocNode> & { keepInput?: boolean } = {}) => {
  const { keepInput, ...rest } = extra;
  return { id, type: 'set-fields', params: { fields, ...(keepInput === undefined ? {} : { keepInput }) }, ...rest };
};
const byName = (steps: StepView[]) => Object.fromEntries(steps.map((s) => [s.nodeName, s]));
const blobRef = { $batonBlob: expect.any(String), bytes: expect.any(Number), sig: expect.any(String) };

/** Start → S1 → … → Sn, where Si sets `f<i>` to i (from S2 on, computed from the previous node's field). */
function setChain(n: number, node: (i: number) => Partial<DocNode> = () => ({})) {
  const nodes = Array.from({ length: n }, (_, k) => {
    const i = k + 1;
    return { ...set(`S${i}`, { [`f${i}`]: i === 1 ? 1 : `{{ $input.f${i - 1} + 1 }}` }), ...node(i) };
  });
  const edges = nodes.map((n, k): [string, string] => [k === 0 ? 'Start' : nodes[k - 1].id, n.id]);
  return { nodes, edges };
}

async function history(runId: string): Promise<HistoryEntry[]> {
  return historyEntries(await (await getTemporalClient()).workflow.getHandle(runId).fetchHistory());
}

test('a 20-node Set chain runs as one local activity and records 20 steps with inputs, outputs and timings', async () => {
  const chain = setChain(20);
  const plan = compileOrThrow(workflowDoc([trigger, ...chain.nodes], chain.edges), 'wf-pure-chain');
  const { runId, result, steps } = await h.run(plan, { user: 'ada' });
  await h.recordHistory('pure-chain', runId);

  const expected = Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`f${k + 1}`, k + 1]));
  expect(result).toEqual({ status: 'succeeded', output: { S20: { user: 'ada', ...expected } } });
  expect(steps.map((s) => [s.nodeName, s.status])).toEqual([
    ['Start', 'succeeded'],
    ...chain.nodes.map((n) => [n.id, 'succeeded']),
  ]);
  const s = byName(steps);
  for (let i = 1; i <= 20; i++) {
    const step = s[`S${i}`];
    expect(step.input).toEqual(i === 1 ? { user: 'ada' } : s[`S${i - 1}`].output);
    expect(step.output).toEqual({ ...(i === 1 ? { user: 'ada' } : s[`S${i - 1}`].output!), [`f${i}`]: i });
    expect(step.attempt).toBe(1);
    expect(step.durationMs).toBe(step.endedAt!.getTime() - step.startedAt!.getTime());
    if (i > 1) expect(step.startedAt!.getTime()).toBeGreaterThanOrEqual(s[`S${i - 1}`].endedAt!.getTime());
  }

  const ran = await history(runId);
  expect(countEntries(ran, 'activity')).toBe(0);
  expect(countEntries(ran, 'local-activity', 'runPureChain')).toBe(1);
  expect(countEntries(ran, 'local-activity', 'runNode')).toBe(0);
  // The canvas sees every node start and turn green, in order.
  const events = (await listRunEvents(runId)).filter((e) => e.kind === 'step' && e.nodeName !== 'Start');
  expect(events.map((e) => [e.kind === 'step' && e.nodeName, e.status])).toEqual(
    chain.nodes.flatMap((n) => [
      [n.id, 'running'],
      [n.id, 'succeeded'],
    ]),
  );
});

test('a failure in node 7 of 10 fails that node and the run; nodes after it do not run', async () => {
  const chain = setChain(10, (i) => (i === 7 ? { params: { fields: { f7: '{{ $number("seven") }}' } } } : {}));
  const plan = compileOrThrow(workflowDoc([trigger, ...chain.nodes], chain.edges), 'wf-pure-chain-fails');
  const { runId, result, steps } = await h.run(plan);
  await h.recordHistory('pure-chain-fails-midway', runId);

  expect(result).toMatchObject({ status: 'failed', output: null, error: { nodeId: 'S7', code: 'expression' } });
  expect(result.error!.message).toMatch(/^Node "S7" \(S7\) failed: Param "fields\.f7": .*seven/);
  expect(steps.map((s) => [s.nodeName, s.status])).toEqual([
    ['Start', 'succeeded'],
    ...['S1', 'S2', 'S3', 'S4', 'S5', 'S6'].map((id) => [id, 'succeeded']),
    ['S7', 'failed'],
  ]);
  const s7 = byName(steps).S7;
  expect(s7).toMatchObject({ attempt: 1, input: byName(steps).S6.output, error: { code: 'expression' } });
  expect(s7.output).toBeUndefined();
  expect(s7.durationMs).toBe(s7.endedAt!.getTime() - s7.startedAt!.getTime());
  expect(countEntries(await history(runId), 'local-activity', 'runPureChain')).toBe(1);
  const events = await listRunEvents(runId);
  expect(events.filter((e) => e.kind === 'step' && e.nodeName === 'S7').map((e) => e.status)).toEqual([
    'running',
    'failed',
  ]);
  expect(events.some((e) => e.kind === 'step' && e.nodeName === 'S8')).toBe(false);
});

test('continue on fail in a chain: the error object becomes the output and the chain goes on', async () => {
  const chain = setChain(5, (i) =>
    i === 3 ? { params: { fields: { f3: '{{ $number("three") }}' } }, policy: { continueOnFail: true } } : {},
  );
  // Past the failed node there is no f3 to count from: S4 and S5 work with the error instead.
  chain.nodes[3] = set('S4', { f4: '{{ $input.error.code }}' });
  chain.nodes[4] = set('S5', { f5: '{{ $input.f4 & "!" }}' });
  const plan = compileOrThrow(workflowDoc([trigger, ...chain.nodes], chain.edges), 'wf-pure-chain-continue');
  const { runId, result, steps } = await h.run(plan);

  expect(result.status).toBe('succeeded');
  const s = byName(steps);
  expect(s.S3).toMatchObject({
    status: 'failed',
    input: { f1: 1, f2: 2 },
    output: { error: { code: 'expression', message: expect.stringMatching(/three/) } },
    error: { code: 'expression' },
  });
  expect(s.S4).toMatchObject({
    status: 'succeeded',
    input: s.S3.output,
    output: { ...s.S3.output!, f4: 'expression' },
  });
  expect(result.output).toEqual({ S5: { ...s.S4.output!, f5: 'expression!' } });
  expect(countEntries(await history(runId), 'local-activity', 'runPureChain')).toBe(1);
});

test('a chain, then an HTTP node and a Delay, then another chain: two local activities, one activity, one timer', async () => {
  sink.requests.length = 0;
  const doc = workflowDoc(
    [
      trigger,
      set('A', { a: 1 }),
      set('B', { b: '{{ $input.a + 1 }}' }),
      set('C', { c: '{{ $input.b + 1 }}' }),
      {
        id: 'Call',
        type: 'http-request',
        params: { method: 'POST', url: `${sink.url}/chain`, bodyType: 'json', body: '{{ $input }}' },
      },
      { id: 'Wait', type: 'delay', params: { amount: 1, unit: 'seconds' } },
      set('D', { status: '{{ $input.status }}' }, { keepInput: false }),
      set('E', { done: '{{ $input.status = 200 }}' }),
    ],
    [
      ['Start', 'A'],
      ['A', 'B'],
      ['B', 'C'],
      ['C', 'Call'],
      ['Call', 'Wait'],
      ['Wait', 'D'],
      ['D', 'E'],
    ],
  );
  const { runId, result, steps } = await h.run(compileOrThrow(doc, 'wf-pure-chain-http-delay'));
  await h.recordHistory('pure-chain-http-delay', runId);

  expect(result).toEqual({ status: 'succeeded', output: { E: { status: 200, done: true } } });
  expect(sink.requests.map((r) => [r.path, JSON.parse(r.body)])).toEqual([['/chain', { a: 1, b: 2, c: 3 }]]);
  expect(steps.map((s) => [s.nodeName, s.status])).toEqual(
    ['Start', 'A', 'B', 'C', 'Call', 'Wait', 'D', 'E'].map((n) => [n, 'succeeded']),
  );
  const s = byName(steps);
  expect(s.Call.input).toEqual({ a: 1, b: 2, c: 3 });
  expect(s.D.input).toEqual(s.Call.output);
  expect(s.D.startedAt!.getTime() - s.Wait.startedAt!.getTime()).toBeGreaterThanOrEqual(1000);

  const ran = await history(runId);
  expect(ran.filter((e) => e.kind === 'activity').map((e) => 'type' in e && e.type)).toEqual(['runNode']);
  expect(countEntries(ran, 'local-activity', 'runPureChain')).toBe(2);
  expect(countEntries(ran, 'timer')).toBe(1);
});

test('expressions in a chain read $node() of nodes inside and before the chain, and $trigger', async () => {
  const doc = workflowDoc(
    [
      trigger,
      set('A', { a: 'from A' }),
      { id: 'Call', type: 'http-request', params: { url: `${sink.url}/ref` } },
      set('B', { fromA: '{{ $node("A").a }}', fromTrigger: '{{ $trigger.t }}' }, { keepInput: false }),
      set('C', { fromB: '{{ $node("B").fromA }}', status: '{{ $node("Call").status }}' }, { keepInput: false }),
    ],
    [
      ['Start', 'A'],
      ['A', 'Call'],
      ['Call', 'B'],
      ['B', 'C'],
    ],
  );
  const { runId, result } = await h.run(compileOrThrow(doc, 'wf-pure-chain-refs'), { t: 'from trigger' });

  expect(result).toEqual({ status: 'succeeded', output: { C: { fromB: 'from A', status: 200 } } });
  expect(countEntries(await history(runId), 'local-activity', 'runPureChain')).toBe(2); // [A], then [B, C]
});

test('an output over 256 KB inside a chain is stored as a blob and the next node still reads it', async () => {
  const doc = workflowDoc(
    [
      trigger,
      set('Half', { a: '{{ $pad("", 200000, "a") }}' }),
      set('Whole', { b: '{{ $pad("", 200000, "b") }}' }),
      set('Measure', { a: '{{ $length($input.a) }}', b: '{{ $length($input.b) }}' }, { keepInput: false }),
    ],
    [
      ['Start', 'Half'],
      ['Half', 'Whole'],
      ['Whole', 'Measure'],
    ],
  );
  const { runId, result, steps } = await h.run(compileOrThrow(doc, 'wf-pure-chain-blob'));

  expect(result).toEqual({ status: 'succeeded', output: { Measure: { a: 200000, b: 200000 } } });
  const s = byName(steps);
  expect(s.Whole.output).toEqual(blobRef);
  expect(s.Whole.outputSize).toBe(400015); // {"a":"…","b":"…"}
  expect(s.Measure.input).toEqual(s.Whole.output);
  expect(countEntries(await history(runId), 'local-activity', 'runPureChain')).toBe(1);
});

test('a chain whose outputs outgrow one result payload continues in another local activity', async () => {
  const chain = setChain(8, (i) => ({
    params: { fields: { [`f${i}`]: '{{ $pad("", 200000, "x") }}' }, keepInput: false },
  }));
  const plan = compileOrThrow(workflowDoc([trigger, ...chain.nodes], chain.edges), 'wf-pure-chain-split');
  const { runId, result, steps } = await h.run(plan);

  expect(result.status).toBe('succeeded');
  expect(steps.filter((s) => s.status === 'succeeded')).toHaveLength(9);
  expect(byName(steps).S8.input).toEqual({ f7: 'x'.repeat(200000) });
  expect(countEntries(await history(runId), 'local-activity', 'runPureChain')).toBeGreaterThanOrEqual(2);
});

test('a chain stops where the graph fans out: each branch after it is a chain of its own', async () => {
  const doc = workflowDoc(
    [
      trigger,
      set('A', { a: 1 }),
      set('B', { b: 2 }),
      set('Left', { side: 'left' }, { keepInput: false }),
      set('Right', { side: 'right' }, { keepInput: false }),
      { id: 'Join', type: 'merge', params: { mode: 'append' } },
      set('After', { n: '{{ $count($input) }}' }, { keepInput: false }),
    ],
    [
      ['Start', 'A'],
      ['A', 'B'],
      ['B', 'Left'],
      ['B', 'Right'],
      ['Left', 'Join'],
      ['Right', 'Join'],
      ['Join', 'After'],
    ],
  );
  const { runId, result, steps } = await h.run(compileOrThrow(doc, 'wf-pure-chain-fan-out'));

  expect(result).toEqual({ status: 'succeeded', output: { After: { n: 2 } } });
  expect(byName(steps).Join.output).toEqual([{ side: 'left' }, { side: 'right' }]);
  expect(countEntries(await history(runId), 'local-activity', 'runPureChain')).toBe(4); // [A, B], [Left], [Right], [After]
});

test('a Code node within its default time limit joins the chain; with a longer limit it stays an activity', async () => {
  const code = (id: string, body: string, timeoutMs?: number) => ({
    id,
    type: 'code',
    params: { code: body, ...(timeoutMs === undefined ? {} : { timeoutMs }) },
  });
  const doc = workflowDoc(
    [
      trigger,
      set('S1', { a: 2 }),
      code('Double', 'return { ...input, b: input.a * 2 };'),
      set('S2', { c: '{{ $input.b + 1 }}' }, { keepInput: true }),
      code('Slow', 'return { ...input, d: input.c * 10 };', 20_000),
    ],
    [
      ['Start', 'S1'],
      ['S1', 'Double'],
      ['Double', 'S2'],
      ['S2', 'Slow'],
    ],
  );
  const plan = compileOrThrow(doc, 'wf-code-in-chain');
  const { runId, result, steps } = await h.run(plan, { user: 'ada' });
  await h.recordHistory('code-in-chain', runId);

  expect(result).toEqual({ status: 'succeeded', output: { Slow: { user: 'ada', a: 2, b: 4, c: 5, d: 50 } } });
  const s = byName(steps);
  expect(steps.map((step) => [step.nodeName, step.status])).toEqual([
    ['Start', 'succeeded'],
    ['S1', 'succeeded'],
    ['Double', 'succeeded'],
    ['S2', 'succeeded'],
    ['Slow', 'succeeded'],
  ]);
  expect(s.Start).toMatchObject({ output: { user: 'ada' } });
  expect(s.Double).toMatchObject({
    type: 'code',
    attempt: 1,
    input: { user: 'ada', a: 2 },
    output: { user: 'ada', a: 2, b: 4 },
  });
  expect(s.Slow).toMatchObject({
    input: { user: 'ada', a: 2, b: 4, c: 5 },
    output: { user: 'ada', a: 2, b: 4, c: 5, d: 50 },
  });

  const ran = await history(runId);
  // S1 → Double → S2 in one local activity; Slow as an activity of its own.
  expect(countEntries(ran, 'local-activity', 'runPureChain')).toBe(1);
  expect(countEntries(ran, 'activity', 'runNode')).toBe(1);
  // The trigger's step is written with the run's start: no bookkeeping activity of its own.
  expect(countEntries(ran, 'local-activity', 'recordSteps')).toBe(0);
  expect(countEntries(ran, 'local-activity', 'recordRunStatus')).toBe(2);
  const events = (await listRunEvents(runId)).filter((e) => e.kind === 'step');
  expect(events.map((e) => [e.kind === 'step' && e.nodeName, e.status])).toEqual([
    ['Start', 'succeeded'],
    ...['S1', 'Double', 'S2'].flatMap((name) => [
      [name, 'running'],
      [name, 'succeeded'],
    ]),
    ['Slow', 'running'],
    ['Slow', 'succeeded'],
  ]);
});

test('a failing Code node in a chain fails the run at once with its line, without retries', async () => {
  const doc = workflowDoc(
    [trigger, set('S1', { a: 1 }), { id: 'Broken', type: 'code', params: { code: 'const x = 1;\nreturn x.y.z;' } }],
    [
      ['Start', 'S1'],
      ['S1', 'Broken'],
    ],
  );
  const { runId, result, steps } = await h.run(compileOrThrow(doc, 'wf-code-in-chain-fails'));
  expect(result).toMatchObject({ status: 'failed', error: { nodeId: 'Broken', code: 'code-error' } });
  expect(result.error!.message).toMatch(/line 2/);
  expect(byName(steps).Broken).toMatchObject({ status: 'failed', attempt: 1, error: { code: 'code-error' } });
  expect(countEntries(await history(runId), 'local-activity', 'runPureChain')).toBe(1);
});

test('the data nodes run as one chain: split out, filter, sort, limit, aggregate, date & time and a hash', async () => {
  const node = (id: string, type: string, params: Record<string, unknown>) => ({ id, type, params });
  const doc = workflowDoc(
    [
      trigger,
      node('Lines', 'split-out', { field: 'orders', splitField: 'lines', include: 'selected', includeFields: 'id' }),
      node('InStock', 'filter', { conditions: [{ field: 'qty', operator: 'gte', value: 1 }] }),
      node('ByQty', 'sort', { keys: [{ field: 'qty', order: 'desc' }] }),
      node('Top2', 'limit', { count: 2 }),
      node('Collect', 'aggregate', { mode: 'items', outputField: 'top' }),
      node('Stamp', 'date-time', {
        operation: 'add',
        date: '2024-03-30T12:00:00',
        amount: 1,
        unit: 'days',
        timezone: 'Europe/Berlin',
        format: 'ISO',
        outputField: 'due',
      }),
      node('Digest', 'crypto', { operation: 'hash', algorithm: 'sha256', value: '{{ $input.top }}' }),
    ],
    [
      ['Start', 'Lines'],
      ['Lines', 'InStock'],
      ['InStock', 'ByQty'],
      ['ByQty', 'Top2'],
      ['Top2', 'Collect'],
      ['Collect', 'Stamp'],
      ['Stamp', 'Digest'],
    ],
  );
  const orders = [
    {
      id: 'o1',
      lines: [
        { sku: 'a', qty: 3 },
        { sku: 'b', qty: 0 },
      ],
    },
    {
      id: 'o2',
      lines: [
        { sku: 'c', qty: 7 },
        { sku: 'd', qty: 1 },
      ],
    },
  ];
  const { runId, result, steps } = await h.run(compileOrThrow(doc, 'wf-data-nodes'), { orders });

  expect(result.status).toBe('succeeded');
  const top = [
    { id: 'o2', sku: 'c', qty: 7 },
    { id: 'o1', sku: 'a', qty: 3 },
  ];
  const output = (result.output as { Digest: Record<string, unknown> }).Digest;
  expect(output).toMatchObject({ top, due: '2024-03-31T12:00:00.000+02:00' });
  expect(output.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(byName(steps).Lines.output).toHaveLength(4);
  expect(byName(steps)['InStock'].output).toHaveLength(3);
  expect(steps.every((s) => s.status === 'succeeded')).toBe(true);
  const ran = await history(runId);
  expect(countEntries(ran, 'local-activity', 'runPureChain')).toBe(1);
  expect(countEntries(ran, 'activity')).toBe(0);
});

test('Stop and error fails the run with the author message and code; the other branch is not taken', async () => {
  const doc = workflowDoc(
    [
      trigger,
      { id: 'Check', type: 'if', params: { left: '{{ $input.startDate }}', operator: 'isEmpty' } },
      {
        id: 'Refuse',
        type: 'stop-and-error',
        params: { message: 'Employee {{ $input.id }} has no start date', code: 'missing-start' },
      },
      set('Onboard', { ok: true }),
    ],
    [
      ['Start', 'Check'],
      ['Check:true', 'Refuse'],
      ['Check:false', 'Onboard'],
    ],
  );
  const plan = compileOrThrow(doc, 'wf-stop-and-error');
  const { result, steps } = await h.run(plan, { id: 'e-7' });
  expect(result).toMatchObject({ status: 'failed', error: { nodeId: 'Refuse', code: 'missing-start' } });
  expect(result.error!.message).toMatch(/Employee e-7 has no start date/);
  expect(byName(steps).Refuse).toMatchObject({ status: 'failed', attempt: 1, error: { code: 'missing-start' } });
  expect(byName(steps).Onboard?.status ?? 'skipped').toBe('skipped');

  const passed = await h.run(plan, { id: 'e-8', startDate: '2027-01-04' });
  expect(passed.result).toEqual({
    status: 'succeeded',
    output: { Onboard: { id: 'e-8', startDate: '2027-01-04', ok: true } },
  });
});
