// The "superseded" path of a human takeover (docs/decisions/059): the browser worker is SIGKILLed while its task waits
// for a person. Temporal notices by the heartbeat timeout and retries the node on a new worker, which signs in again
// (the test site counts the submission but applies it once: the idempotency key is the same), fails the same step and
// opens a new task. Opening it marks the dead attempt's task superseded, so the inbox holds one task, not a stale one
// forever. The person finishes the new task through its relay, and the run completes. When the retry needs nobody (the
// page lets it through), its start alone supersedes the dead attempt's task.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as dialRelay, type Socket } from 'socket.io-client';
import { RELAY_INPUT, RELAY_PAGE, type TakeoverTask } from '../../contracts/browser-takeover';
import { pendingCountFor } from '../../db/approvals';
import { closeTakeover, openTakeoversFor, takeoverRelay, takeoversOfRun } from '../../db/browser-takeovers';
import { listSteps } from '../../db/steps';
import { createUser } from '../../db/users';
import { createWorkflow } from '../../db/workflows';
import { createWorkspace, systemScope } from '../../db/workspaces';
import { waitForRun } from '../../temporal/client';
import { startBrowserSite, type BrowserSite } from '../../test/browser-site/server';
import { chromiumBelow } from '../../test/chromium-processes';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';
import { waitUntilGone, type ChildHandle } from '../../test/stack';

// "Passed" (and #passed in the URL) only after a click on the button at 20–220 × 20–80 px.
const GATE = `<!doctype html><title>Gate</title>
<button id="human" style="position:absolute;left:20px;top:20px;width:200px;height:60px"
  onclick="Object.assign(document.getElementById('secret'), { hidden: false, textContent: 'Passed' }); location.hash = 'passed'"
  >I am human</button>
<p id="secret" hidden style="position:absolute;top:120px"></p>`;
/** The gate once the test opens it: what a site that stops asking for a CAPTCHA looks like. */
const OPEN_GATE = `<!doctype html><title>Gate</title><p id="secret">Passed</p>`;
let gateOpen = false;

// The sites are on loopback, which a worker refuses unless its administrator allows it.
const env = { BATON_HTTP_ALLOW_HOSTS: '127.0.0.1' };
let site: BrowserSite;
let gate: Server;
let gateUrl = '';
let h: RunHarness;
let workflowId = '';
let workspaceId = '';
let ownerId = '';
const browserWorkers: ChildHandle[] = [];
let relaySocket: Socket | undefined;

beforeAll(async () => {
  site = await startBrowserSite();
  gate = createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(gateOpen ? OPEN_GATE : GATE),
  );
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}/gate`;
  h = await startRunHarness('browser_takeover_kill');
  // The interpreter runs on a worker of its own, which lives on: only the browser worker is killed.
  await h.startWorker({ queues: ['default'], env });
  ownerId = (await createUser({ email: 'owner@takeover-kill.test', name: 'Ada Owner', password: 'pw-takeover-2' })).id;
  workspaceId = (await createWorkspace({ name: 'Takeover kill', ownerId })).id;
  workflowId = (await createWorkflow(systemScope(workspaceId), { name: 'Gated sign-in', ownerId })).id;
}, 180_000);

// Browser workers of the current test are stopped after it, so the next test's run goes to its own worker.
afterEach(async () => {
  relaySocket?.close();
  const stopping = browserWorkers.splice(0);
  stopping.forEach((w) => w.kill('SIGTERM'));
  await Promise.all(stopping.map((w) => w.stopped));
});

afterAll(async () => {
  await h?.close();
  await Promise.all([site?.close(), new Promise((resolve) => gate?.close(resolve))]);
});

async function startBrowserWorker(): Promise<ChildHandle> {
  const worker = await h.startWorker({ queues: ['browser'], env });
  browserWorkers.push(worker);
  return worker;
}

/** The run's open task of the given activity attempt, once it is there. */
async function openTaskOf(runId: string, attempt: number): Promise<TakeoverTask> {
  for (let tries = 0; tries < 1200; tries++) {
    const open = (await takeoversOfRun(runId)).find((t) => t.status === 'open' && t.attempt === attempt);
    if (open) return open;
    await new Promise((r) => setTimeout(r, 100));
  }
  const steps = (await listSteps(runId)).map((s) => `${s.nodeId} ${s.status} ${s.error?.message ?? ''}`);
  throw new Error(`Run ${runId} opened no takeover task in attempt ${attempt}; its steps: ${steps.join('; ')}`);
}

function gatedPlan() {
  return compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        {
          id: 'browse',
          type: 'browser',
          params: {
            askHuman: true,
            stepTimeoutMs: 2_000,
            steps: [
              { action: 'goto', target: `${site.url}/login` },
              { action: 'fill', target: 'label=Email', value: 'ada@example.com' },
              { action: 'fill', target: 'label=Password', value: 'analytical' },
              { action: 'click', target: 'role=button[name="Sign in"]' },
              { action: 'extractText', target: 'h1', name: 'greeting' },
              { action: 'goto', target: gateUrl },
              { action: 'waitFor', target: '#secret' },
              { action: 'extractText', target: '#secret', name: 'result' },
            ],
          },
        },
      ],
      [['trigger', 'browse']],
    ),
    workflowId,
  );
}

/** Kills the worker holding the run's open task, and waits until its Chromium is gone too. */
async function killHolder(worker: ChildHandle): Promise<void> {
  const chromium = chromiumBelow([worker.pid]).main;
  expect(chromium).toHaveLength(1);
  worker.kill('SIGKILL');
  expect((await worker.stopped).signal).toBe('SIGKILL');
  expect(await waitUntilGone(chromium, 15_000)).toEqual([]);
}

const next = <T>(socket: Socket, event: string) => new Promise<T>((resolve) => socket.once(event, resolve));

test('SIGKILL while a task waits: the task is superseded, the retry opens a new one, and the run completes', async () => {
  const first = await startBrowserWorker();
  const runId = await h.start(gatedPlan());
  const key = `${runId}:browse:0`;

  const dead = await openTaskOf(runId, 1);
  expect(dead).toMatchObject({ step: 'Step 7 (waitFor #secret)', eligible: [ownerId] });
  expect([site.submissions(key), site.applied(key)]).toEqual([1, 1]);
  await killHolder(first);
  // Until a new attempt comes, the dead attempt's task is all there is: still open, in the inbox.
  expect((await openTakeoversFor(workspaceId, ownerId)).map((t) => t.id)).toEqual([dead.id]);

  const second = await startBrowserWorker();
  const task = await openTaskOf(runId, 2);
  expect(task).toMatchObject({ step: 'Step 7 (waitFor #secret)', eligible: [ownerId] });
  const tasks = await takeoversOfRun(runId);
  expect(tasks.map((t) => [t.id, t.status])).toEqual([
    [dead.id, 'superseded'],
    [task.id, 'open'],
  ]);
  expect(tasks[0].closedAt).toBeDefined();
  // The inbox and its badge hold the new task only; the dead one's relay is gone with it.
  expect((await openTakeoversFor(workspaceId, ownerId)).map((t) => t.id)).toEqual([task.id]);
  expect(await pendingCountFor(workspaceId, ownerId)).toBe(1);
  expect(await takeoverRelay(dead.id)).toBeUndefined();
  // Signed in again by the retry with the same key: answered, not applied twice.
  expect([site.submissions(key), site.applied(key)]).toEqual([2, 1]);

  // The person finishes the step on the new worker's page.
  const relay = (await takeoverRelay(task.id))!;
  relaySocket = dialRelay(relay.url, { auth: { token: relay.token }, transports: ['websocket'], reconnection: false });
  expect((await next<{ url: string }>(relaySocket, RELAY_PAGE)).url).toBe(gateUrl);
  const clicked = next<{ url: string }>(relaySocket, RELAY_PAGE);
  relaySocket.emit(RELAY_INPUT, { type: 'click', x: 120, y: 50 });
  expect((await clicked).url).toBe(`${gateUrl}#passed`);
  expect(await closeTakeover(task.id, { status: 'done', by: { id: ownerId, name: 'Ada Owner' } })).toBeDefined();

  const result = await waitForRun(runId, 120_000);
  expect(result.status).toBe('succeeded');
  const step = (await listSteps(runId)).find((s) => s.nodeId === 'browse')!;
  expect(step).toMatchObject({ status: 'succeeded', attempt: 2 });
  expect((step.output as { data: unknown }).data).toEqual({ greeting: 'Welcome, Ada', result: 'Passed' });
  expect([site.submissions(key), site.applied(key)]).toEqual([2, 1]);
  expect(await pendingCountFor(workspaceId, ownerId)).toBe(0);
  expect((await takeoversOfRun(runId)).map((t) => t.status)).toEqual(['superseded', 'done']);
  expect(chromiumBelow([second.pid]).main).toHaveLength(1);
}, 300_000);

test('a retry that needs nobody supersedes the dead attempt’s task when it starts', async () => {
  gateOpen = false;
  const first = await startBrowserWorker();
  const runId = await h.start(gatedPlan());
  const dead = await openTaskOf(runId, 1);
  await killHolder(first);
  // The site stopped asking: the retry goes through the gate by itself.
  gateOpen = true;
  await startBrowserWorker();
  const result = await waitForRun(runId, 120_000);
  expect(result.status).toBe('succeeded');
  expect((await listSteps(runId)).find((s) => s.nodeId === 'browse')).toMatchObject({
    status: 'succeeded',
    attempt: 2,
  });
  expect((await takeoversOfRun(runId)).map((t) => [t.id, t.status])).toEqual([[dead.id, 'superseded']]);
  expect(await openTakeoversFor(workspaceId, ownerId)).toEqual([]);
  expect(await pendingCountFor(workspaceId, ownerId)).toBe(0);
}, 300_000);
