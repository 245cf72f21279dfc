// Chromium processes never leak: 50 Browser runs (5 whose worker is SIGKILLed mid-step, each on a fresh worker;
// 30 that succeed, 10 that fail on a missing element, 5 cancelled mid-step) leave one Chromium per live worker (the
// pool) and no renderers of closed contexts. Processes are read from /proc (test/chromium-processes.ts). Mid-step
// is a page held unanswered (test/held-page.ts) until the worker is killed or the run cancelled.
import { createWorkflow } from '../../db/workflows';
import { systemScope } from '../../db/workspaces';
import type { Plan } from '../../ir/types';
import type { RunGraphResult } from '../../workflows/messages';
import { cancelRun, waitForRun } from '../../temporal/client';
import { startBrowserSite, type BrowserSite } from '../../test/browser-site/server';
import { chromiumBelow } from '../../test/chromium-processes';
import { startHeldPages, untilHeld, type HeldPages } from '../../test/held-page';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';
import { waitUntilGone } from '../../test/stack';
import type { BrowserStep } from './spec';

const WS = 'ws_browser_leak';
const env = { BATON_HTTP_ALLOW_HOSTS: '127.0.0.1' };
/** Renderers a Chromium may keep between runs (its spare renderer, kept warm for the next page); closed contexts' must go. */
const SPARE_RENDERERS = 2;
let site: BrowserSite;
let held: HeldPages;
let h: RunHarness;
let workflowId = '';

beforeAll(async () => {
  [site, held] = await Promise.all([startBrowserSite(), startHeldPages()]);
  h = await startRunHarness('browser_leak');
  await h.startWorker({ queues: ['default'], env });
  workflowId = (await createWorkflow(systemScope(WS), { name: 'Browser leak', ownerId: 'owner' })).id;
}, 180_000);

afterAll(async () => {
  await h?.close();
  await Promise.all([site?.close(), held?.close()]);
});

function browserPlan(steps: BrowserStep[], stepTimeoutMs = 10_000): Plan {
  const node = {
    id: 'browse',
    type: 'browser',
    params: { steps, stepTimeoutMs },
    // A killed attempt may be followed by another kill while its retry runs: room for both.
    policy: { retry: { maximumAttempts: 5, initialIntervalMs: 200, backoffCoefficient: 1 } },
  };
  return compileOrThrow(
    workflowDoc([{ id: 'trigger', type: 'manual-trigger' }, node], [['trigger', 'browse']]),
    workflowId,
  );
}

const table = () =>
  browserPlan([
    { action: 'goto', target: `${site.url}/people` },
    { action: 'extractTable', target: '#people', name: 'people' },
  ]);
const missing = () =>
  browserPlan(
    [
      { action: 'goto', target: `${site.url}/people` },
      { action: 'click', target: 'testid=nowhere' },
    ],
    // Short, yet long enough for the page to load on a busy machine.
    4_000,
  );
/** Held on its first attempt: opens the table, then a page that answers only once it is released. */
const heldAt = (name: string) =>
  browserPlan(
    [
      { action: 'goto', target: `${site.url}/people` },
      { action: 'goto', target: `${held.url}/hold/${name}` },
      { action: 'extractText', target: '#held', name: 'held' },
    ],
    30_000,
  );

/** How a run ended: its status, and for a failed run its error too. */
const outcome = (result: RunGraphResult) =>
  result.status === 'failed' ? `failed: ${result.error?.message}` : result.status;

/** Runs `starts` at most `width` at a time; resolves with their outcomes in order. */
async function runAll(starts: Array<() => Promise<string>>, width: number): Promise<string[]> {
  const outcomes: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < starts.length) {
      const i = next++;
      outcomes[i] = outcome(await waitForRun(await starts[i](), 60_000));
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return outcomes;
}

test('50 runs (10 killed or cancelled mid-step) leave one Chromium per live worker and no renderers behind', async () => {
  // 5 runs whose fresh worker is SIGKILLed mid-step; each is retried on the next worker up.
  const killedRuns: string[] = [];
  const killedChromium: number[] = [];
  for (let i = 0; i < 5; i++) {
    const worker = await h.startWorker({ queues: ['browser'], env });
    killedRuns.push(await h.start(heldAt(`kill-${i}`)));
    await untilHeld(held, `kill-${i}`, killedRuns[i]);
    const { main } = chromiumBelow([worker.pid]);
    expect(main).toHaveLength(1);
    killedChromium.push(...main);
    worker.kill('SIGKILL');
    await worker.stopped;
  }
  held.release();
  expect(await waitUntilGone(killedChromium, 15_000)).toEqual([]);

  const pool = await h.startWorker({ queues: ['browser'], env });
  // 5 cancelled while a step waits for its page; the cancel closes the run's context.
  const cancelled: Array<() => Promise<string>> = Array.from({ length: 5 }, (_, i) => async () => {
    const runId = await h.start(heldAt(`cancel-${i}`));
    await untilHeld(held, `cancel-${i}`, runId);
    await cancelRun(runId, 'leak test');
    return runId;
  });
  // 40 normal runs, every fourth failing on its missing element.
  const fails = (i: number) => i % 4 === 3;
  const normal = Array.from({ length: 40 }, (_, i) => () => h.start(fails(i) ? missing() : table()));
  const outcomes = await runAll([...cancelled, ...normal], 4);
  held.release();
  expect(outcomes).toEqual([
    ...Array(5).fill('cancelled'),
    ...normal.map((_, i) =>
      fails(i) ? expect.stringMatching(/^failed: .*Step 2 \(click testid=nowhere\): Timeout 4000ms/) : 'succeeded',
    ),
  ]);
  for (const runId of killedRuns) expect(outcome(await waitForRun(runId, 60_000))).toBe('succeeded');

  // The pool: one Chromium for the one live browser worker, the default worker none.
  expect(chromiumBelow([pool.pid]).main).toHaveLength(1);
  const everyWorker = chromiumBelow([process.pid]);
  expect(everyWorker.main).toHaveLength(1);
  // Renderers of closed contexts exit a little after the close: wait for them to go, then count.
  let renderers = everyWorker.renderers;
  for (let waited = 0; renderers.length > SPARE_RENDERERS && waited < 10_000; waited += 200) {
    await new Promise((r) => setTimeout(r, 200));
    renderers = chromiumBelow([process.pid]).renderers;
  }
  expect(renderers.length).toBeLessThanOrEqual(SPARE_RENDERERS);
}, 300_000);
