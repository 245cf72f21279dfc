// Human takeover on the Puppeteer engine in a real run (docs/decisions/059, 058): Temporal, a worker process on the
// `browser` queue, the store and a local page whose next element appears only after a person clicks. The step
// fails, the task opens, and the test plays the web server: it dials the worker's relay with the task's token, sees
// a frame of the Puppeteer page, clicks through it and marks the task done; the run goes on and extracts what the
// click revealed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as dialRelay, type Socket } from 'socket.io-client';
import type { LiveFrame } from '../../../contracts/browser-live';
import { RELAY_FRAME, RELAY_INPUT, RELAY_PAGE, type TakeoverTask } from '../../../contracts/browser-takeover';
import { closeTakeover, takeoverRelay, takeoversOfRun } from '../../../db/browser-takeovers';
import { listSteps } from '../../../db/steps';
import { createUser } from '../../../db/users';
import { createWorkflow } from '../../../db/workflows';
import { createWorkspace, systemScope } from '../../../db/workspaces';
import { waitForRun } from '../../../temporal/client';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../../test/run-harness';
import type { BrowserStep } from '../spec';

// "Passed" shows (and the URL gets #passed) only after someone clicks the button at 20–220 × 20–80 px.
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
const sockets: Socket[] = [];

beforeAll(async () => {
  page = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(GATE));
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/gate`;
  harness = await startRunHarness('browser_puppeteer_takeover');
  await harness.startWorker({ queues: ['default', 'browser'], env: { BATON_HTTP_ALLOW_HOSTS: '127.0.0.1' } });
  ownerId = (await createUser({ email: 'owner@pptr-takeover.test', name: 'Ada Owner', password: 'pw-takeover-1' })).id;
  const workspace = await createWorkspace({ name: 'Takeover (Puppeteer)', ownerId });
  workflowId = (await createWorkflow(systemScope(workspace.id), { name: 'Gated', ownerId })).id;
}, 180_000);

afterAll(async () => {
  sockets.forEach((s) => s.close());
  await harness?.close();
  await new Promise((resolve) => page?.close(resolve));
});

async function openTask(runId: string): Promise<TakeoverTask> {
  for (let tries = 0; tries < 300; tries++) {
    const open = (await takeoversOfRun(runId)).find((t) => t.status === 'open');
    if (open) return open;
    await new Promise((r) => setTimeout(r, 100));
  }
  const steps = (await listSteps(runId)).map((s) => `${s.nodeId} ${s.status} ${s.error?.message ?? ''}`);
  throw new Error(`Run ${runId} opened no takeover task; its steps: ${steps.join('; ')}`);
}

const next = <T>(socket: Socket, event: string) => new Promise<T>((resolve) => socket.once(event, resolve));

it('relays the Puppeteer page to a person and goes on with the next step once they clicked and marked it done', async () => {
  const steps: BrowserStep[] = [
    { action: 'goto', target: pageUrl },
    { action: 'waitFor', target: '#secret' },
    { action: 'extractText', target: '#secret', name: 'result' },
  ];
  const plan = compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        { id: 'browse', type: 'browser', params: { steps, engine: 'puppeteer', stepTimeoutMs: 2_000, askHuman: true } },
      ],
      [['trigger', 'browse']],
    ),
    workflowId,
  );
  const runId = await harness.start(plan);
  const task = await openTask(runId);
  expect(task).toMatchObject({ step: 'Step 2 (waitFor #secret)', reason: 'Timeout 2000ms exceeded', url: pageUrl });

  const relay = (await takeoverRelay(task.id))!;
  const web = dialRelay(relay.url, { auth: { token: relay.token }, transports: ['websocket'], reconnection: false });
  sockets.push(web);
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
  await closeTakeover(task.id, { status: 'done', by: { id: ownerId, name: 'Ada Owner' } });

  expect((await waitForRun(runId, 60_000)).status).toBe('succeeded');
  const output = (await listSteps(runId)).find((s) => s.nodeId === 'browse')!.output as {
    data: { result: string };
    steps: Array<{ index: number; ok: boolean; person?: string }>;
  };
  expect(output.data.result).toBe('Passed');
  expect(output.steps[1]).toMatchObject({ index: 2, ok: true, person: 'Ada Owner' });
}, 120_000);
