// Runs survive their worker being killed. Semantics under test:
// - Completed activities are never re-run: their results are in the workflow's history, and a new worker
//   replays the history and continues (here: from inside a durable timer).
// - Activities are at-least-once: an activity whose worker dies mid-call is retried after its timeout,
//   so the outside world may see the same request twice. Every request carries the step's idempotency key
//   (`<run>:<node>:<iteration>`, stable across retries), which lets the receiver apply the effect once.
import { listSteps } from '../db/steps';
import { waitForRun } from '../temporal/client';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';
import { startSink, type Sink } from '../test/sink';

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
