// A Browser node (each engine) whose worker is SIGKILLed mid-node, after the sign-in form was posted: the node is retried on a
// new worker, the run succeeds with the right data, and the sign-in takes effect once (the node sends the step's
// idempotency key, stable across attempts, with every request). The killed worker's Chromium goes with it. The step
// after the sign-in opens a page that is held unanswered until the worker is dead, so the kill lands mid-node
// without timing; the node's heartbeat timeout (workflows/node-execution.ts) makes the retry come soon.
import proto from '@temporalio/proto';
import { createWorkflow } from '../../db/workflows';
import { listSteps } from '../../db/steps';
import { systemScope } from '../../db/workspaces';
import { getTemporalClient, waitForRun } from '../../temporal/client';
import { startBrowserSite, type BrowserSite } from '../../test/browser-site/server';
import { chromiumBelow } from '../../test/chromium-processes';
import { HELD_PAGE_TEXT, startHeldPages, untilHeld, type HeldPages } from '../../test/held-page';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';
import { waitUntilGone, type ChildHandle } from '../../test/stack';

const WS = 'ws_browser_kill';
// The sites are on loopback, which a worker refuses unless its administrator allows it.
const env = { BATON_HTTP_ALLOW_HOSTS: '127.0.0.1' };
let site: BrowserSite;
let held: HeldPages;
let h: RunHarness;
let workflowId = '';

beforeAll(async () => {
  [site, held] = await Promise.all([startBrowserSite(), startHeldPages()]);
  h = await startRunHarness('browser_kill');
  // The interpreter runs on a worker of its own, which lives on: only the browser worker is killed.
  await h.startWorker({ queues: ['default'], env });
  workflowId = (await createWorkflow(systemScope(WS), { name: 'Browser kill', ownerId: 'owner' })).id;
}, 180_000);

const runEvents = async (runId: string) =>
  (await (await getTemporalClient()).workflow.getHandle(runId).fetchHistory()).events ?? [];

/** Why the node's activity was retried: the timeout its second attempt started after, from the run's history. */
async function retriedAfter(runId: string) {
  const retry = (await runEvents(runId))
    ?.map((e) => e.activityTaskStartedEventAttributes)
    .find((started) => (started?.attempt ?? 0) >= 2);
  return retry?.lastFailure?.timeoutFailureInfo?.timeoutType;
}

/** Browser workers of the current test: stopped after it, so the next test's run goes to its own worker. */
const browserWorkers: ChildHandle[] = [];
async function startBrowserWorker(): Promise<ChildHandle> {
  const worker = await h.startWorker({ queues: ['browser'], env });
  browserWorkers.push(worker);
  return worker;
}

afterEach(async () => {
  const stopping = browserWorkers.splice(0);
  stopping.forEach((w) => w.kill('SIGTERM'));
  await Promise.all(stopping.map((w) => w.stopped));
});

afterAll(async () => {
  await h?.close();
  await Promise.all([site?.close(), held?.close()]);
});

const ENGINES = ['playwright', 'puppeteer'] as const;

test.each(ENGINES)(
  'SIGKILL after the sign-in POST (%s): a new worker retries the node, the sign-in applies once, the killed Chromium is gone',
  async (engine) => {
    const first = await startBrowserWorker();
    const hold = `after-sign-in-${engine}`;
    const plan = compileOrThrow(
      workflowDoc(
        [
          { id: 'trigger', type: 'manual-trigger' },
          {
            id: 'browse',
            type: 'browser',
            params: {
              engine,
              steps: [
                { action: 'goto', target: `${site.url}/login` },
                { action: 'fill', target: 'label=Email', value: '{{ $input.email }}' },
                { action: 'fill', target: 'label=Password', value: '{{ $input.password }}' },
                { action: 'click', target: 'role=button[name="Sign in"]' },
                { action: 'extractText', target: 'h1', name: 'greeting' },
                { action: 'goto', target: `${held.url}/hold/${hold}` },
                { action: 'extractText', target: '#held', name: 'after' },
              ],
              stepTimeoutMs: 30_000,
            },
          },
        ],
        [['trigger', 'browse']],
      ),
      workflowId,
    );
    const runId = await h.start(plan, { email: 'ada@example.com', password: 'analytical' });
    await untilHeld(held, hold, runId);
    const key = `${runId}:browse:0`;
    expect([site.submissions(key), site.applied(key)]).toEqual([1, 1]);
    const chromium = chromiumBelow([first.pid]).main;
    expect(chromium).toHaveLength(1);

    first.kill('SIGKILL');
    expect((await first.stopped).signal).toBe('SIGKILL');
    held.release();
    // Chromium quits when its pipe to the dead worker closes.
    expect(await waitUntilGone(chromium, 15_000)).toEqual([]);

    const second = await startBrowserWorker();
    const result = await waitForRun(runId, 120_000);
    expect(result.status).toBe('succeeded');
    const step = (await listSteps(runId)).find((s) => s.nodeId === 'browse')!;
    expect(step).toMatchObject({ status: 'succeeded', attempt: 2 });
    // Noticed by the node's heartbeat timeout, not its two-minute start-to-close timeout.
    expect(await retriedAfter(runId)).toBe(proto.temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
    expect((step.output as { data: unknown }).data).toEqual({ greeting: 'Welcome, Ada', after: HELD_PAGE_TEXT });
    // Posted again by the retry, with the same key: answered, not applied a second time.
    expect([site.submissions(key), site.applied(key)]).toEqual([2, 1]);
    expect(chromiumBelow([second.pid]).main).toHaveLength(1);
  },
  240_000,
);

test('a step that outlasts the heartbeat timeout on a live worker is not retried', async () => {
  const worker = await startBrowserWorker();
  const plan = compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        {
          id: 'browse',
          type: 'browser',
          params: {
            steps: [
              { action: 'goto', target: `${held.url}/hold/long-step` },
              { action: 'extractText', target: '#held', name: 'after' },
            ],
            stepTimeoutMs: 60_000,
          },
        },
      ],
      [['trigger', 'browse']],
    ),
    workflowId,
  );
  const runId = await h.start(plan);
  await untilHeld(held, 'long-step', runId);
  const scheduled = (await runEvents(runId))
    .map((e) => e.activityTaskScheduledEventAttributes)
    .find((a) => a?.taskQueue?.name?.endsWith('browser'));
  const heartbeatMs = Number(scheduled?.heartbeatTimeout?.seconds ?? 0) * 1000;
  expect(heartbeatMs).toBeGreaterThan(0);
  // The step waits for its page longer than the heartbeat timeout: the activity's own heartbeats keep it alive.
  await new Promise((r) => setTimeout(r, heartbeatMs + 5_000));
  held.answer('long-step');
  const result = await waitForRun(runId, 60_000);
  expect(result.status).toBe('succeeded');
  expect((await listSteps(runId)).find((s) => s.nodeId === 'browse')).toMatchObject({
    status: 'succeeded',
    attempt: 1,
  });
  expect(chromiumBelow([worker.pid]).main).toHaveLength(1);
}, 120_000);
