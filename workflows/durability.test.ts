// Runs survive their worker being killed. Semantics under test:
// - Completed activities are never re-run: their results are in the workflow's history, and a new worker
//   replays the history and continues (here: from inside a durable timer).
// - Activities are at-least-once: an activity whose worker dies mid-call is retried after its timeout,
//   so the outside world may see the same request twice. Every request carries the step's idempotency key
//   (`<run>:<node>:<iteration>`, stable across retries), which lets the receiver apply the effect once.
// - A chain of pure nodes is one local activity, recorded in history only once it has finished: a worker
//   dying inside it leaves no trace, and the next worker runs the whole chain again (pure, so harmless).
import proto from '@temporalio/proto';
import { listRunEvents } from '../db/events';
import { listSteps } from '../db/steps';
import { getTemporalClient, waitForRun } from '../temporal/client';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';
import { startSink, type Sink } from '../test/sink';
import { countEntries, historyEntries } from './run-history';

let h: RunHarness;
let sink: Sink;
/** The receiver's dedupe table: side effects applied per idempotency key. */
const effects = new Map<string, number>();

beforeAll(async () => {
  h = await startRunHarness('durability');
  sink = await startSink();
  sink.handle(async (req, res) => {
    const key = req.idempotencyKey ?? '';
    const firstTime = !effects.has(key);
    if (firstTime) effects.set(key, 1); // the effect happens on receipt; a repeat with the same key is a no-op
    if (req.path === '/hold' && firstTime) await new Promise((r) => setTimeout(r, 2000));
    if (!res.destroyed)
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ key, replayed: !firstTime }));
  });
}, 60_000);

afterEach(() => h.stopWorkers());

afterAll(async () => {
  await sink?.close();
  await h?.close();
});

const trigger = { id: 'Start', type: 'manual-trigger' };

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('SIGKILL during a durable timer: a new worker finishes the run and no request is sent twice', async () => {
  const doc = workflowDoc(
    [
      trigger,
      {
        id: 'Before',
        type: 'http-request',
        params: { method: 'POST', url: `${sink.url}/before`, bodyType: 'json', body: { n: 1 } },
      },
      { id: 'Wait', type: 'delay', params: { amount: 5, unit: 'seconds' } },
      {
        id: 'After',
        type: 'http-request',
        params: { method: 'POST', url: `${sink.url}/after`, bodyType: 'json', body: { n: 2 } },
      },
    ],
    [
      ['Start', 'Before'],
      ['Before', 'Wait'],
      ['Wait', 'After'],
    ],
  );
  const first = await h.startWorker();
  const runId = await h.start(compileOrThrow(doc, 'wf-sigkill-timer'));
  await waitFor('the first request and the start of the delay', async () => {
    const steps = await listSteps(runId);
    return (
      steps.some((s) => s.nodeName === 'Before' && s.status === 'succeeded') &&
      steps.some((s) => s.nodeName === 'Wait' && s.status === 'running')
    );
  });
  first.kill('SIGKILL');
  expect((await first.stopped).signal).toBe('SIGKILL');

  await h.startWorker();
  const result = await waitForRun(runId, 90_000);
  await h.recordHistory('sigkill-during-delay', runId);

  expect(result.status).toBe('succeeded');
  const counts = sink.countsByKey();
  const keys = Object.keys(counts).filter((k) => k.startsWith(`${runId}:`));
  expect(keys.sort()).toEqual([`${runId}:After:0`, `${runId}:Before:0`]);
  expect(counts[`${runId}:Before:0`]).toBe(1);
  expect(counts[`${runId}:After:0`]).toBe(1);
  const steps = await listSteps(runId);
  expect(steps.map((s) => [s.nodeName, s.status])).toEqual([
    ['Start', 'succeeded'],
    ['Before', 'succeeded'],
    ['Wait', 'succeeded'],
    ['After', 'succeeded'],
  ]);
}, 150_000);

test('SIGKILL during an activity: it is retried (at-least-once) and the idempotency key makes the effect happen once', async () => {
  const doc = workflowDoc(
    [
      trigger,
      {
        id: 'Charge',
        type: 'http-request',
        params: { method: 'POST', url: `${sink.url}/hold`, bodyType: 'json', body: { amount: 10 } },
        policy: { timeoutMs: 4000, retry: { maximumAttempts: 3, initialIntervalMs: 200, backoffCoefficient: 1 } },
      },
      { id: 'Done', type: 'set-fields', params: { fields: { done: true } } },
    ],
    [
      ['Start', 'Charge'],
      ['Charge', 'Done'],
    ],
  );
  const worker = await h.startWorker();
  const runId = await h.start(compileOrThrow(doc, 'wf-sigkill-activity'));
  const key = `${runId}:Charge:0`;
  await waitFor('the request to reach the receiver', async () => sink.requests.some((r) => r.idempotencyKey === key));
  worker.kill('SIGKILL'); // the receiver applied the effect, but its answer never reaches Temporal

  await h.startWorker();
  const result = await waitForRun(runId, 90_000);
  await h.recordHistory('sigkill-during-activity', runId);

  expect(result.status).toBe('succeeded');
  expect(sink.countsByKey()[key]).toBeGreaterThanOrEqual(2); // delivered more than once…
  expect(effects.get(key)).toBe(1); // …applied once
  expect((result.output as { Done: { body: { replayed: boolean } } }).Done.body.replayed).toBe(true);
  const charge = (await listSteps(runId)).find((s) => s.nodeName === 'Charge')!;
  expect(charge.status).toBe('succeeded');
  expect(charge.attempt).toBeGreaterThanOrEqual(2);
}, 150_000);

const post = (id: string, path: string) => ({
  id,
  type: 'http-request',
  params: { method: 'POST', url: `${sink.url}${path}`, bodyType: 'json', body: '{{ $input }}' },
});
/** A Set node that takes a noticeable fraction of a second, so that a chain of them is caught running. */
const heavySet = (id: string) => ({
  id,
  type: 'set-fields',
  params: { fields: { [id]: '{{ $count($map([1..40000], function($v) { $v * 2 })) }}' } },
});

async function runHistory(runId: string) {
  return historyEntries(await (await getTemporalClient()).workflow.getHandle(runId).fetchHistory());
}

/** Whether the run's worker is inside a workflow task: where local activities (pure chains) run. */
async function inWorkflowTask(runId: string): Promise<boolean> {
  const { raw } = await (await getTemporalClient()).workflow.getHandle(runId).describe();
  const { PENDING_WORKFLOW_TASK_STATE_STARTED } = proto.temporal.api.enums.v1.PendingWorkflowTaskState;
  return raw.pendingWorkflowTask?.state === PENDING_WORKFLOW_TASK_STATE_STARTED;
}

test('SIGKILL during a pure chain: a new worker runs the chain again, every node succeeds and every request is sent once', async () => {
  const chain = Array.from({ length: 12 }, (_, i) => heavySet(`H${i + 1}`));
  const doc = workflowDoc(
    [trigger, post('Before', '/before-chain'), ...chain, post('After', '/after-chain')],
    [
      ['Start', 'Before'],
      ['Before', 'H1'],
      ...chain.slice(1).map((n, i): [string, string] => [chain[i].id, n.id]),
      ['H12', 'After'],
    ],
  );
  const first = await h.startWorker();
  const runId = await h.start(compileOrThrow(doc, 'wf-sigkill-pure-chain'));
  let chainStepsAtKill = -1;
  await waitFor('the chain to be running', async () => {
    const steps = await listSteps(runId);
    if (!steps.some((s) => s.nodeName === 'Before' && s.status === 'succeeded') || !(await inWorkflowTask(runId)))
      return false;
    chainStepsAtKill = steps.filter((s) => s.nodeName.startsWith('H')).length;
    return true;
  });
  first.kill('SIGKILL');
  expect((await first.stopped).signal).toBe('SIGKILL');
  expect(chainStepsAtKill).toBe(0); // the chain had not finished: its steps are written at its end

  await h.startWorker();
  const result = await waitForRun(runId, 90_000);
  await h.recordHistory('sigkill-during-pure-chain', runId);

  expect(result.status).toBe('succeeded');
  expect(effects.get(`${runId}:Before:0`)).toBe(1);
  expect(effects.get(`${runId}:After:0`)).toBe(1);
  expect(sink.countsByKey()[`${runId}:Before:0`]).toBe(1);
  expect(sink.countsByKey()[`${runId}:After:0`]).toBe(1);
  const steps = await listSteps(runId);
  expect(steps.map((s) => [s.nodeName, s.status])).toEqual(
    ['Start', 'Before', ...chain.map((n) => n.id), 'After'].map((name) => [name, 'succeeded']),
  );
  // The worker died inside the workflow task running the chain; the chain's result came from the next worker.
  const ran = await runHistory(runId);
  const lost = ran.find((e) => e.kind === 'task-lost');
  const chainDone = ran.find((e) => e.kind === 'local-activity' && e.type === 'runPureChain');
  const beforeScheduled = ran.find((e) => e.kind === 'activity');
  expect(lost).toBeDefined();
  expect(beforeScheduled!.eventId).toBeLessThan(lost!.eventId);
  expect(lost!.eventId).toBeLessThan(chainDone!.eventId);
  // The canvas turns every node of the chain green.
  const succeeded = new Set(
    (await listRunEvents(runId))
      .filter((e) => e.kind === 'step' && e.status === 'succeeded')
      .map((e) => e.kind === 'step' && e.nodeName),
  );
  for (const n of chain) expect(succeeded).toContain(n.id);
}, 150_000);

test('SIGKILL during a delay after a pure chain: the chain is not run again and the request after it is sent once', async () => {
  const doc = workflowDoc(
    [
      trigger,
      { id: 'A', type: 'set-fields', params: { fields: { a: 1 } } },
      { id: 'B', type: 'set-fields', params: { fields: { b: '{{ $input.a + 1 }}' } } },
      { id: 'C', type: 'set-fields', params: { fields: { c: '{{ $input.b + 1 }}' } } },
      { id: 'Wait', type: 'delay', params: { amount: 5, unit: 'seconds' } },
      post('After', '/after-delay'),
    ],
    [
      ['Start', 'A'],
      ['A', 'B'],
      ['B', 'C'],
      ['C', 'Wait'],
      ['Wait', 'After'],
    ],
  );
  const first = await h.startWorker();
  const runId = await h.start(compileOrThrow(doc, 'wf-sigkill-delay-after-chain'));
  await waitFor('the delay to start', async () => {
    const steps = await listSteps(runId);
    return (
      steps.some((s) => s.nodeName === 'Wait' && s.status === 'running') &&
      countEntries(await runHistory(runId), 'timer') === 1
    );
  });
  first.kill('SIGKILL');
  expect((await first.stopped).signal).toBe('SIGKILL');

  await h.startWorker();
  const result = await waitForRun(runId, 90_000);
  await h.recordHistory('sigkill-during-delay-after-pure-chain', runId);

  expect(result.status).toBe('succeeded');
  expect(sink.requests.filter((r) => r.idempotencyKey === `${runId}:After:0`).map((r) => JSON.parse(r.body))).toEqual([
    { a: 1, b: 2, c: 3 },
  ]);
  expect(effects.get(`${runId}:After:0`)).toBe(1);
  const steps = await listSteps(runId);
  expect(steps.map((s) => [s.nodeName, s.status])).toEqual(
    ['Start', 'A', 'B', 'C', 'Wait', 'After'].map((name) => [name, 'succeeded']),
  );
  // The chain's result was in history before the kill: the new worker replayed it instead of running it again.
  expect(countEntries(await runHistory(runId), 'local-activity', 'runPureChain')).toBe(1);
  const events = await listRunEvents(runId);
  for (const name of ['A', 'B', 'C']) {
    expect(events.filter((e) => e.kind === 'step' && e.nodeName === name).map((e) => e.status)).toEqual([
      'running',
      'succeeded',
    ]);
  }
}, 150_000);

test('SIGKILL in the middle of a loop: it resumes where it was, and no iteration has an effect twice', async () => {
  const doc = workflowDoc(
    [
      trigger,
      { id: 'Each', type: 'loop-over-items', params: { concurrency: 4 } },
      {
        id: 'Send',
        type: 'http-request',
        params: { method: 'POST', url: `${sink.url}/send`, bodyType: 'json', body: { n: '{{ $input.n }}' } },
        policy: { timeoutMs: 4000, retry: { maximumAttempts: 5, initialIntervalMs: 200, backoffCoefficient: 1 } },
      },
      { id: 'Sent', type: 'set-fields', params: { fields: { sent: '{{ $input.body.key }}' }, keepInput: false } },
    ],
    [
      ['Start', 'Each:in'],
      ['Each:body', 'Send'],
      ['Send', 'Sent'],
      ['Sent', 'Each:loopEnd'],
    ],
  );
  const items = Array.from({ length: 40 }, (_, i) => ({ n: i + 1 }));
  const worker = await h.startWorker();
  const runId = await h.start(compileOrThrow(doc, 'wf-sigkill-loop'), items);
  await waitFor('a quarter of the iterations', async () => {
    const steps = await listSteps(runId);
    return steps.filter((s) => s.nodeName === 'Send' && s.status === 'succeeded').length >= 10;
  });
  const doneBefore = (await listSteps(runId))
    .filter((s) => s.nodeName === 'Send' && s.status === 'succeeded')
    .map((s) => `${runId}:Send:${s.iteration}`);
  worker.kill('SIGKILL');
  expect((await worker.stopped).signal).toBe('SIGKILL');

  await h.startWorker();
  const result = await waitForRun(runId, 120_000);
  await h.recordHistory('sigkill-during-loop', runId);

  expect(result.status).toBe('succeeded');
  const keys = items.map((_, i) => `${runId}:Send:${i + 1}`);
  const done = (result.output as { Each: { done: Array<{ sent: string }> } }).Each.done;
  expect(done.map((d) => d.sent)).toEqual(keys); // every item once, in order
  for (const key of keys) expect(effects.get(key)).toBe(1); // each effect applied once…
  const counts = sink.countsByKey();
  for (const key of doneBefore) expect(counts[key]).toBe(1); // …and iterations finished before the kill were not sent again
}, 180_000);
