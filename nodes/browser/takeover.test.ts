// Human takeover in real runs (docs/decisions/059): Temporal, a worker process on the `browser` queue, the store and
// a local page whose next element appears only after a person clicks. The step fails, the task opens for the
// workspace's owners, and the test plays the web server: it dials the worker's relay with the task's token, sees a
// frame, clicks through it and marks the task done; the run goes on and extracts what the click revealed. Giving up
// fails the step with the person's note; a wrong token gets nothing from the relay.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as dialRelay, type Socket } from 'socket.io-client';
import type { LiveFrame } from '../../contracts/browser-live';
import { RELAY_FRAME, RELAY_INPUT, RELAY_PAGE, type TakeoverTask } from '../../contracts/browser-takeover';
import { pendingCountFor } from '../../db/approvals';
import { closeTakeover, takeoverRelay, takeoversOfRun } from '../../db/browser-takeovers';
import { createUser } from '../../db/users';
import { createWorkflow } from '../../db/workflows';
import { createWorkspace, systemScope } from '../../db/workspaces';
import { listSteps } from '../../db/steps';
import { waitForRun } from '../../temporal/client';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';
import type { BrowserStep } from './spec';

// The gate: "Passed" shows (and the URL gets #passed) only after someone clicks the big button at the top left
// (at 20–220 × 20–80 px).
const GATE = `<!doctype html><title>Gate</title>
<button id="human" style="position:absolute;left:20px;top:20px;width:200px;height:60px"
  onclick="Object.assign(document.getElementById('secret'), { hidden: false, textContent: 'Passed' }); location.hash = 'passed'"
  >I am human</button>
<p id="secret" hidden style="position:absolute;top:120px"></p>`;

let page: Server;
let pageUrl = '';
let harness: RunHarness;
let workflowId = '';
let ownerId = '';
let workspaceId = '';
const openSockets: Socket[] = [];

beforeAll(async () => {
  page = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(GATE));
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/gate`;
  harness = await startRunHarness('browser_takeover');
  await harness.startWorker({ queues: ['default', 'browser'], env: { BATON_HTTP_ALLOW_HOSTS: '127.0.0.1' } });
  const owner = await createUser({ email: 'owner@takeover.test', name: 'Ada Owner', password: 'pw-takeover-1' });
  ownerId = owner.id;
  const workspace = await createWorkspace({ name: 'Takeover', ownerId });
  workspaceId = workspace.id;
  workflowId = (await createWorkflow(systemScope(workspace.id), { name: 'Gated', ownerId })).id;
}, 180_000);

afterAll(async () => {
  openSockets.forEach((s) => s.close());
  await harness?.close();
  await new Promise((resolve) => page?.close(resolve));
});

function gatedFlow(extra: Record<string, unknown> = {}) {
  const steps: BrowserStep[] = [
    { action: 'goto', target: pageUrl },
    { action: 'waitFor', target: '#secret' },
    { action: 'extractText', target: '#secret', name: 'result' },
  ];
  return compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        { id: 'browse', type: 'browser', params: { steps, stepTimeoutMs: 2_000, askHuman: true, ...extra } },
      ],
      [['trigger', 'browse']],
    ),
    workflowId,
  );
}

async function openTask(runId: string): Promise<TakeoverTask> {
  for (let tries = 0; tries < 300; tries++) {
    const open = (await takeoversOfRun(runId)).find((t) => t.status === 'open');
    if (open) return open;
    await new Promise((r) => setTimeout(r, 100));
  }
  const steps = (await listSteps(runId)).map((s) => `${s.nodeId} ${s.status} ${s.error?.message ?? ''}`);
  throw new Error(`Run ${runId} opened no takeover task; its steps: ${steps.join('; ')}`);
}

function dial(url: string, token: string): Socket {
  const socket = dialRelay(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  openSockets.push(socket);
  return socket;
}

const next = <T>(socket: Socket, event: string) => new Promise<T>((resolve) => socket.once(event, resolve));

it('compiles the wait for a person into the node’s timeout', () => {
  expect(gatedFlow({ takeoverTimeoutMinutes: 5 }).nodes.browse.policy.timeoutMs).toBe(120_000 + 5 * 60_000);
  expect(gatedFlow({ askHuman: false }).nodes.browse.policy.timeoutMs).toBe(120_000);
});

it('opens a task, relays the page, and goes on with the next step once a person clicked and marked it done', async () => {
  const runId = await harness.start(gatedFlow());
  const task = await openTask(runId);
  expect(task).toMatchObject({
    step: 'Step 2 (waitFor #secret)',
    reason: expect.stringMatching(/Timeout 2000ms/),
    url: pageUrl,
    eligible: [ownerId],
    from: ['role owner', 'role admin'],
  });
  expect(JSON.stringify(task)).not.toMatch(/token|relay/i);
  expect(await pendingCountFor(workspaceId, ownerId)).toBe(1); // the inbox badge counts the task

  const relay = (await takeoverRelay(task.id))!;
  const stranger = dial(relay.url, 'not-the-token');
  await expect(next<Error>(stranger, 'connect_error')).resolves.toMatchObject({ message: /task token/ });

  const web = dial(relay.url, relay.token);
  const [pageInfo, frame] = await Promise.all([
    next<{ url: string }>(web, RELAY_PAGE),
    next<LiveFrame>(web, RELAY_FRAME),
  ]);
  expect(pageInfo.url).toBe(pageUrl);
  expect(frame).toMatchObject({ width: 1280, height: 800 });
  expect(Buffer.from(frame.data, 'base64').subarray(0, 2).toString('hex')).toBe('ffd8'); // a JPEG
  const applied = next<{ url: string }>(web, RELAY_PAGE);
  web.emit(RELAY_INPUT, { type: 'click', x: 120, y: 50 });
  expect((await applied).url).toBe(`${pageUrl}#passed`);
  expect(await closeTakeover(task.id, { status: 'done', by: { id: ownerId, name: 'Ada Owner' } })).toBeDefined();

  const result = await waitForRun(runId, 60_000);
  expect(result.status).toBe('succeeded');
  expect(await pendingCountFor(workspaceId, ownerId)).toBe(0);
  const output = (await listSteps(runId)).find((s) => s.nodeId === 'browse')!.output as {
    data: { result: string };
    steps: Array<{ index: number; ok: boolean; person?: string }>;
  };
  expect(output.data.result).toBe('Passed');
  expect(output.steps[1]).toMatchObject({ index: 2, ok: true, person: 'Ada Owner' });
  expect((await takeoversOfRun(runId))[0].status).toBe('done');
}, 120_000);

it('fails the step with the person’s note when they give up', async () => {
  const runId = await harness.start(gatedFlow());
  const task = await openTask(runId);
  await closeTakeover(task.id, { status: 'gave-up', by: { id: ownerId, name: 'Ada Owner' }, note: 'No code came' });
  const result = await waitForRun(runId, 60_000);
  expect(result.status).toBe('failed');
  expect((await listSteps(runId)).find((s) => s.nodeId === 'browse')).toMatchObject({
    status: 'failed',
    error: { message: expect.stringMatching(/^Step 2 \(waitFor #secret\): .*\(Ada Owner gave up: "No code came"\)$/) },
  });
  // The relay went with the task: nothing reaches the page any more.
  expect(await takeoverRelay(task.id)).toBeUndefined();
}, 120_000);
