// Loops whose body is one chain of pure nodes (workflows/loops.ts): many iterations are evaluated per local
// activity, and each is recorded as if it had run alone. A real worker process, Temporal and the store.
import { listSteps, type StepView } from '../db/steps';
import { getTemporalClient, waitForRun } from '../temporal/client';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';
import { countEntries, historyEntries } from './run-history';

let h: RunHarness;

beforeAll(async () => {
  h = await startRunHarness('loops-pure-body');
}, 60_000);

afterEach(() => h.stopWorkers());

afterAll(async () => {
  await h?.close();
});

const trigger = { id: 'Start', type: 'manual-trigger' };
const set = (id: string, fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'set-fields',
  params: { fields, ...extra },
});

/** Start → Each (Double → Label in its body) → After, which returns what the loop collected. */
function pureLoop(loopParams: Record<string, unknown>, double: Record<string, unknown> = {}) {
  return workflowDoc(
    [
      trigger,
      { id: 'Each', type: 'loop-over-items', params: loopParams },
      { ...set('Double', { doubled: '{{ $input.n * 2 }}' }), ...double },
      set('Label', { label: '{{ "item " & $input.n }}' }),
      { id: 'After', type: 'code', params: { code: 'return { results: input };' } },
    ],
    [
      ['Start', 'Each:in'],
      ['Each:body', 'Double'],
      ['Double', 'Label'],
      ['Label', 'Each:loopEnd'],
      ['Each:done', 'After'],
    ],
  );
}

const loopChild = (runId: string) => `${runId}--loop-Each`;

async function childHistory(runId: string) {
  return historyEntries(await (await getTemporalClient()).workflow.getHandle(loopChild(runId)).fetchHistory());
}

const ofNode = (steps: StepView[], name: string) =>
  steps.filter((s) => s.nodeName === name).sort((a, b) => a.iteration - b.iteration);

test('a pure body runs many iterations per local activity, and every iteration is recorded as when it ran alone', async () => {
  await h.startWorker();
  const items = Array.from({ length: 120 }, (_, i) => ({ n: i + 1 }));
  const { runId, result, steps } = await h.run(
    compileOrThrow(pureLoop({ concurrency: 3 }), 'wf-pure-loop'),
    items,
    180_000,
  );
  await h.recordHistory('loop-pure-body', loopChild(runId));

  expect(result.status).toBe('succeeded');
  const expected = items.map(({ n }) => ({ n, doubled: n * 2, label: `item ${n}` }));
  expect((result.output as { After: { results: unknown[] } }).After.results).toEqual(expected);

  const doubles = ofNode(steps, 'Double');
  const labels = ofNode(steps, 'Label');
  const each = ofNode(steps, 'Each');
  expect(doubles.map((s) => [s.iteration, s.status])).toEqual(items.map((_, i) => [i + 1, 'succeeded']));
  expect(labels.map((s) => [s.iteration, s.status])).toEqual(items.map((_, i) => [i + 1, 'succeeded']));
  expect(each.map((s) => [s.iteration, s.status])).toEqual([
    [0, 'succeeded'],
    ...items.map((_, i) => [i + 1, 'succeeded']),
  ]);
  for (const [i, { n }] of items.entries()) {
    // Each step holds its own input and output, and the iteration's step its item and then its result.
    expect(doubles[i]).toMatchObject({ input: { n }, output: { n, doubled: 2 * n } });
    expect(labels[i]).toMatchObject({ input: { n, doubled: 2 * n }, output: expected[i] });
    expect(each[i + 1]).toMatchObject({ input: { n }, output: expected[i] });
    // …and starts in a millisecond of its own, after the node before it.
    expect(labels[i].startedAt!.getTime()).toBeGreaterThan(doubles[i].startedAt!.getTime());
    if (i > 0) expect(doubles[i].startedAt!.getTime()).toBeGreaterThan(labels[i - 1].startedAt!.getTime());
  }

  // One local activity evaluated many iterations: none ran as a chain of its own.
  const history = await childHistory(runId);
  expect(countEntries(history, 'local-activity', 'runPureChain')).toBe(0);
  const batches = countEntries(history, 'local-activity', 'runPureIterations');
  expect(batches).toBeGreaterThanOrEqual(3); // 50 + 50 from the first slice of 100 items, 20 from the second
  expect(batches).toBeLessThan(items.length / 2);
}, 240_000);

test('a failed item stops a batched loop at that item; with "go on" it goes down "Failed items" and the rest run', async () => {
  await h.startWorker();
  const failsOnSeven = {
    params: { fields: { doubled: '{{ $input.n = 7 ? $error("seven is not allowed") : $input.n * 2 }}' } },
  };
  const items = Array.from({ length: 60 }, (_, i) => ({ n: i + 1 }));

  const stopping = await h.run(compileOrThrow(pureLoop({}, failsOnSeven), 'wf-pure-loop-stop'), items, 120_000);
  expect(stopping.result.status).toBe('failed');
  expect(stopping.result.error).toMatchObject({ nodeName: 'Double' });
  expect(stopping.result.error?.message).toMatch(/seven is not allowed.*in iteration 7 of "Each"/);
  // Iterations before the failed one ran; none after it started.
  expect(ofNode(stopping.steps, 'Double').map((s) => [s.iteration, s.status])).toEqual([
    ...[1, 2, 3, 4, 5, 6].map((k) => [k, 'succeeded']),
    [7, 'failed'],
  ]);
  expect(ofNode(stopping.steps, 'Label').map((s) => s.iteration)).toEqual([1, 2, 3, 4, 5, 6]);

  const doc = pureLoop({ onItemFailure: 'continue' }, failsOnSeven);
  doc.nodes.push({
    id: 'Failures',
    type: 'code',
    version: 1,
    name: 'Failures',
    position: { x: 0, y: 200 },
    params: { code: 'return { failures: input };' },
  });
  doc.edges.push({ id: 'failed-edge', source: 'Each', sourcePort: 'failed', target: 'Failures', targetPort: 'in' });
  const going = await h.run(compileOrThrow(doc, 'wf-pure-loop-continue'), items, 120_000);
  expect(going.result.status).toBe('succeeded');
  const output = going.result.output as { After: { results: unknown[] }; Failures: { failures: unknown[] } };
  expect(output.After.results).toEqual(
    items.filter(({ n }) => n !== 7).map(({ n }) => ({ n, doubled: n * 2, label: `item ${n}` })),
  );
  expect(output.Failures.failures).toEqual([
    { item: { n: 7 }, error: { message: expect.stringContaining('seven is not allowed'), code: expect.any(String) } },
  ]);
  expect(ofNode(going.steps, 'Double')).toHaveLength(60);
  expect(ofNode(going.steps, 'Label')).toHaveLength(59);
}, 300_000);

test('a batched loop continues as new before its history grows long, and collects every result across executions', async () => {
  await h.startWorker();
  const items = Array.from({ length: 330 }, (_, i) => ({ n: i + 1 }));
  const runId = await h.start(compileOrThrow(pureLoop({ concurrency: 10 }), 'wf-pure-loop-long'), items, {
    loopHistoryEvents: 20,
  });
  const result = await waitForRun(runId, 180_000);
  await h.recordHistory('loop-pure-body-continued', loopChild(runId));
  expect(result.status).toBe('succeeded');
  expect((result.output as { After: { results: unknown[] } }).After.results).toEqual(
    items.map(({ n }) => ({ n, doubled: n * 2, label: `item ${n}` })),
  );
  let executions = 0;
  const client = await getTemporalClient();
  for await (const _ of client.workflow.list({ query: `WorkflowId = '${loopChild(runId)}'` })) executions++;
  expect(executions).toBeGreaterThan(1);
  const steps = await listSteps(runId);
  expect(ofNode(steps, 'Label').map((s) => s.iteration)).toEqual(items.map((_, i) => i + 1));
}, 300_000);

test('SIGKILL in the middle of a batched loop: a new worker finishes it, with every result and the steps of every iteration', async () => {
  const worker = await h.startWorker();
  const items = Array.from({ length: 600 }, (_, i) => ({ n: i + 1 }));
  const runId = await h.start(compileOrThrow(pureLoop({ concurrency: 10 }), 'wf-pure-loop-sigkill'), items);
  for (const until = Date.now() + 120_000; ;) {
    const labels = ofNode(await listSteps(runId), 'Label');
    if (labels.length >= 100) break;
    if (Date.now() > until) throw new Error(`Only ${labels.length} iterations ran within two minutes`);
    await new Promise((r) => setTimeout(r, 100));
  }
  worker.kill('SIGKILL');
  expect((await worker.stopped).signal).toBe('SIGKILL');

  await h.startWorker();
  const result = await waitForRun(runId, 240_000);
  await h.recordHistory('sigkill-during-pure-loop', loopChild(runId));
  expect(result.status).toBe('succeeded');
  expect((result.output as { After: { results: unknown[] } }).After.results).toEqual(
    items.map(({ n }) => ({ n, doubled: n * 2, label: `item ${n}` })),
  );
  const steps = await listSteps(runId);
  for (const name of ['Double', 'Label']) {
    expect(ofNode(steps, name).map((s) => [s.iteration, s.status])).toEqual(items.map((_, i) => [i + 1, 'succeeded']));
  }
}, 420_000);
