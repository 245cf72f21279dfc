// The interpreter end to end: documents compiled by the real compiler, run by a real worker process
// against Temporal and the Mongo-protocol server, with HTTP nodes calling a loopback sink.
import proto from '@temporalio/proto';
import { getRunUnscoped } from '../db/runs';
import { listSteps, type StepView } from '../db/steps';
import { listRunEvents } from '../db/events';
import { cancelRun, getTemporalClient, waitForRun } from '../temporal/client';
import { progressQuery } from './messages';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';
import { startSink, type Sink } from '../test/sink';

let h: RunHarness;
let sink: Sink;
/** Idempotency keys of /slow calls whose caller hung up before the answer. */
const abandoned: string[] = [];

beforeAll(async () => {
  h = await startRunHarness('interpreter');
  sink = await startSink();
  sink.handle(sinkRoutes());
  await h.startWorker();
}, 180_000);

afterAll(async () => {
  await sink?.close();
  await h?.close();
});

/** /slow?ms=N answers after N ms; /status/N answers N; /flaky fails twice per idempotency key, then succeeds. */
function sinkRoutes() {
  const flaky = new Map<string, number>();
  return async (req: { path: string; idempotencyKey?: string }, res: import('node:http').ServerResponse) => {
    const url = new URL(req.path, 'http://sink');
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/slow') {
      // Stops waiting when the caller gives up (a cancelled or timed-out node), so no timer outlives the test.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Number(url.searchParams.get('ms')));
        res.once('close', () => {
          clearTimeout(timer);
          if (!res.writableEnded) abandoned.push(req.idempotencyKey ?? '');
          resolve();
        });
      });
      if (res.destroyed) return;
      return reply(200, { slept: Number(url.searchParams.get('ms')) });
    }
    if (url.pathname.startsWith('/status/'))
      return reply(Number(url.pathname.slice('/status/'.length)), { failed: true });
    if (url.pathname === '/flaky') {
      const seen = (flaky.get(req.idempotencyKey ?? '') ?? 0) + 1;
      flaky.set(req.idempotencyKey ?? '', seen);
      return seen <= 2 ? reply(503, { attempt: seen }) : reply(200, { attempt: seen });
    }
    return reply(200, { ok: true });
  };
}

const http = (id: string, path: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'http-request',
  params: { url: `${sink.url}${path}`, ...extra },
});
const set = (id: string, fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'set-fields',
  params: { fields, ...extra },
});
const trigger = { id: 'Start', type: 'manual-trigger' };
const byName = (steps: StepView[]) => Object.fromEntries(steps.map((s) => [s.nodeName, s]));

test('a linear run records every step with input, output and timings', async () => {
  const plan = compileOrThrow(
    workflowDoc(
      [trigger, set('A', { a: 1 }), set('B', { b: '{{ $input.a + 1 }}' })],
      [
        ['Start', 'A'],
        ['A', 'B'],
      ],
    ),
    'wf-linear',
  );
  const { runId, result, steps } = await h.run(plan, { user: 'ada' });
  await h.recordHistory('linear', runId);

  expect(result).toEqual({ status: 'succeeded', output: { B: { user: 'ada', a: 1, b: 2 } } });
  expect(steps.map((s) => [s.nodeName, s.status])).toEqual([
    ['Start', 'succeeded'],
    ['A', 'succeeded'],
    ['B', 'succeeded'],
  ]);
  const b = byName(steps).B;
  expect(b.input).toEqual({ user: 'ada', a: 1 });
  expect(b.output).toEqual({ user: 'ada', a: 1, b: 2 });
  expect(b.attempt).toBe(1);
  expect(b.startedAt!.getTime()).toBeLessThanOrEqual(b.endedAt!.getTime());
  expect(b.durationMs).toBeGreaterThanOrEqual(0);

  const run = await getRunUnscoped(runId);
  expect(run).toMatchObject({
    status: 'succeeded',
    workflowId: 'wf-linear',
    planHash: plan.hash,
    output: { B: { user: 'ada', a: 1, b: 2 } },
  });
  expect(run!.endedAt).toBeInstanceOf(Date);
  const events = await listRunEvents(runId);
  expect(events.filter((e) => e.kind === 'run').map((e) => e.status)).toEqual(['running', 'succeeded']);
  expect(events.filter((e) => e.kind === 'step' && e.nodeName === 'A').map((e) => e.status)).toEqual([
    'running',
    'succeeded',
  ]);
});

test('If routes the input: nodes on the branch not taken are skipped', async () => {
  const doc = workflowDoc(
    [
      trigger,
      { id: 'Check', type: 'if', params: { left: '{{ $input.age }}', operator: 'gte', right: 18 } },
      set('Adult', { adult: true }),
      set('Minor', { adult: false }),
      set('AfterMinor', { x: 1 }),
    ],
    [
      ['Start', 'Check'],
      ['Check:true', 'Adult'],
      ['Check:false', 'Minor'],
      ['Minor', 'AfterMinor'],
    ],
  );
  const { runId, result, steps } = await h.run(compileOrThrow(doc, 'wf-if'), { age: 30 });
  await h.recordHistory('if-branch', runId);

  expect(result).toEqual({ status: 'succeeded', output: { Adult: { age: 30, adult: true } } });
  const s = byName(steps);
  expect(s.Check.status).toBe('succeeded');
  expect(s.Adult.status).toBe('succeeded');
  expect(s.Minor.status).toBe('skipped');
  expect(s.AfterMinor.status).toBe('skipped');
});

test('parallel branches run concurrently and Merge waits for every active input', async () => {
  const doc = workflowDoc(
    [
      trigger,
      http('SlowA', '/slow?ms=1500'),
      http('SlowB', '/slow?ms=1500'),
      { id: 'Route', type: 'if', params: { left: true, operator: 'isTrue' } },
      set('Taken', { branch: 'taken' }, { keepInput: false }),
      set('NotTaken', { branch: 'not taken' }, { keepInput: false }),
      { id: 'Join', type: 'merge', params: { mode: 'append' } },
    ],
    [
      ['Start', 'SlowA'],
      ['Start', 'SlowB'],
      ['Start', 'Route'],
      ['Route:true', 'Taken'],
      ['Route:false', 'NotTaken'],
      ['SlowA', 'Join'],
      ['SlowB', 'Join'],
      ['Taken', 'Join'],
      ['NotTaken', 'Join'],
    ],
  );
  const { runId, result, steps } = await h.run(compileOrThrow(doc, 'wf-parallel'));
  await h.recordHistory('parallel-merge', runId);

  expect(result.status).toBe('succeeded');
  const s = byName(steps);
  const joined = (result.output as { Join: Array<{ body?: unknown; branch?: string }> }).Join;
  expect(joined).toHaveLength(3); // SlowA, SlowB, Taken, in edge order; NotTaken was skipped
  expect(joined[0].body).toEqual({ slept: 1500 });
  expect(joined[2]).toEqual({ branch: 'taken' });
  expect(s.NotTaken.status).toBe('skipped');
  // Concurrent: each slow call started before the other ended. Merge started after both ended.
  expect(s.SlowA.startedAt!.getTime()).toBeLessThan(s.SlowB.endedAt!.getTime());
  expect(s.SlowB.startedAt!.getTime()).toBeLessThan(s.SlowA.endedAt!.getTime());
  expect(s.Join.startedAt!.getTime()).toBeGreaterThanOrEqual(
    Math.max(s.SlowA.endedAt!.getTime(), s.SlowB.endedAt!.getTime()),
  );
});

test('a failing node fails the run by name and cancels its in-flight sibling (fail fast)', async () => {
  const doc = workflowDoc(
    [trigger, http('Broken', '/status/400'), http('Slow', '/slow?ms=10000'), set('AfterSlow', { never: true })],
    [
      ['Start', 'Broken'],
      ['Start', 'Slow'],
      ['Slow', 'AfterSlow'],
    ],
  );
  const started = Date.now();
  const { runId, result } = await h.run(compileOrThrow(doc, 'wf-failfast'));
  await h.recordHistory('fail-fast', runId);

  expect(Date.now() - started).toBeLessThan(8000);
  expect(result.status).toBe('failed');
  expect(result.error).toMatchObject({ nodeId: 'Broken', nodeName: 'Broken', code: 'http-status' });
  expect(result.error!.message).toMatch(/"Broken".*HTTP 400/);

  const history = await (await getTemporalClient()).workflow.getHandle(runId).fetchHistory();
  const cancelRequested = proto.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED;
  expect((history.events ?? []).some((e) => e.eventType === cancelRequested)).toBe(true);

  const s = byName(
    await eventually(
      () => listSteps(runId),
      (steps) => byName(steps).Slow?.status === 'failed',
    ),
  );
  expect(s.Broken).toMatchObject({ status: 'failed', error: { code: 'http-status' } });
  expect(s.Broken.error!.message).toMatch(/HTTP 400/);
  expect(s.Broken.endedAt).toBeInstanceOf(Date);
  expect(s.Slow.error?.code).toBe('cancelled');
  expect(s.AfterSlow).toBeUndefined();
  // The cancellation reached the worker: it aborted the sibling's HTTP call (heartbeats carry it).
  expect(
    await eventually(
      async () => abandoned,
      (keys) => keys.includes(`${runId}:Slow:0`),
      8000,
    ),
  ).toContain(`${runId}:Slow:0`);
  expect((await getRunUnscoped(runId))!.status).toBe('failed');
});

test('retry policy: a call that fails twice succeeds on attempt 3 with the same idempotency key', async () => {
  const doc = workflowDoc(
    [
      trigger,
      {
        ...http('Flaky', '/flaky'),
        policy: { retry: { maximumAttempts: 3, initialIntervalMs: 100, backoffCoefficient: 1 } },
      },
    ],
    [['Start', 'Flaky']],
  );
  const { runId, result, steps } = await h.run(compileOrThrow(doc, 'wf-retry'));
  await h.recordHistory('retry', runId);

  expect(result.status).toBe('succeeded');
  expect(byName(steps).Flaky).toMatchObject({
    status: 'succeeded',
    attempt: 3,
    output: { status: 200, body: { attempt: 3 } },
  });
  expect(byName(steps).Flaky.error).toBeUndefined();
  expect(sink.countsByKey()[`${runId}:Flaky:0`]).toBe(3);
});

test("a node's timeout fails it with code timeout", async () => {
  const doc = workflowDoc(
    [
      trigger,
      {
        ...http('Sluggish', '/slow?ms=6000'),
        policy: { timeoutMs: 1000, retry: { maximumAttempts: 1, initialIntervalMs: 100, backoffCoefficient: 1 } },
      },
    ],
    [['Start', 'Sluggish']],
  );
  const started = Date.now();
  const { runId, result, steps } = await h.run(compileOrThrow(doc, 'wf-timeout'));
  await h.recordHistory('timeout', runId);

  expect(Date.now() - started).toBeLessThan(5000);
  expect(result).toMatchObject({ status: 'failed', error: { nodeName: 'Sluggish', code: 'timeout' } });
  expect(byName(steps).Sluggish).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
  expect(byName(steps).Sluggish.durationMs).toBeGreaterThanOrEqual(1000);
});

test('$node("Name") reads a non-adjacent upstream output, in activities and in If', async () => {
  const doc = workflowDoc(
    [
      trigger,
      set('First', { code: 'x-1' }),
      set('Second', { other: true }, { keepInput: false }),
      { id: 'Check', type: 'if', params: { left: '{{ $node("First").code }}', operator: 'equals', right: 'x-1' } },
      set(
        'Third',
        { fromFirst: '{{ $node("First").code }}', fromTrigger: '{{ $trigger.t }}', run: '{{ $run.workflowId }}' },
        { keepInput: false },
      ),
    ],
    [
      ['Start', 'First'],
      ['First', 'Second'],
      ['Second', 'Check'],
      ['Check:true', 'Third'],
    ],
  );
  const { runId, result } = await h.run(compileOrThrow(doc, 'wf-node-ref'), { t: 'from trigger' });
  await h.recordHistory('node-reference', runId);

  expect(result).toEqual({
    status: 'succeeded',
    output: { Third: { fromFirst: 'x-1', fromTrigger: 'from trigger', run: 'wf-node-ref' } },
  });
});

test('continue on fail: the error object becomes the output and the run goes on', async () => {
  const doc = workflowDoc(
    [trigger, { ...http('Optional', '/status/404'), policy: { continueOnFail: true } }, set('Next', { handled: true })],
    [
      ['Start', 'Optional'],
      ['Optional', 'Next'],
    ],
  );
  const { result, steps } = await h.run(compileOrThrow(doc, 'wf-continue'));

  expect(result.status).toBe('succeeded');
  expect(byName(steps).Optional).toMatchObject({ status: 'failed', output: { error: { code: 'http-status' } } });
  expect((result.output as { Next: { error: { code: string }; handled: boolean } }).Next).toMatchObject({
    handled: true,
    error: { code: 'http-status' },
  });
});

test('an output over 256 KB is stored as a blob and still reaches the next node', async () => {
  const doc = workflowDoc(
    [
      trigger,
      { id: 'Big', type: 'code', params: { code: 'return { text: "x".repeat(400000) };' } },
      { id: 'Measure', type: 'code', params: { code: 'return { length: input.text.length };' } },
    ],
    [
      ['Start', 'Big'],
      ['Big', 'Measure'],
    ],
  );
  const { result, steps } = await h.run(compileOrThrow(doc, 'wf-blob'));

  expect(result).toEqual({ status: 'succeeded', output: { Measure: { length: 400000 } } });
  expect(byName(steps).Big.output).toEqual({ $batonBlob: expect.any(String), bytes: 400011, sig: expect.any(String) }); // {"text":"…"}
  expect(byName(steps).Big.outputSize).toBe(400011);
});

test('progress query and cancel signal: a waiting run reports its steps, then stops as cancelled', async () => {
  const doc = workflowDoc(
    [trigger, { id: 'Wait', type: 'delay', params: { amount: 1, unit: 'minutes' } }, set('After', { never: true })],
    [
      ['Start', 'Wait'],
      ['Wait', 'After'],
    ],
  );
  const runId = await h.start(compileOrThrow(doc, 'wf-cancel'));
  const handle = (await getTemporalClient()).workflow.getHandle(runId);
  const progress = await eventually(
    () => handle.query(progressQuery),
    (p) => p.steps.Wait === 'running',
  );
  expect(progress.steps).toEqual({ Start: 'succeeded', Wait: 'running', After: 'pending' });

  await cancelRun(runId, 'changed my mind');
  const result = await waitForRun(runId, 20_000);
  await h.recordHistory('cancel', runId);

  expect(result).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } });
  expect(result.error!.message).toMatch(/changed my mind/);
  const s = byName(await listSteps(runId));
  expect(s.Wait).toMatchObject({ status: 'failed', error: { code: 'cancelled' } });
  expect(s.After).toBeUndefined();
  expect((await getRunUnscoped(runId))!.status).toBe('cancelled');
});

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}
