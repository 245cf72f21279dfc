// Wait nodes resumed from outside, through the real web server and a real worker: the signed resume link works
// once (a second call and a forged link are refused), a worker SIGKILL while waiting changes nothing, the timeout
// sends the input down "Timed out", and the API resumes a node waiting for it, even before the run reaches it.
import type { ChildHandle } from '../test/stack';
import { startSink, type Sink } from '../test/sink';
import { anyNode, chain, docWith, httpNode, manualNode, setNode } from './web-test-documents';
import { startWebStack, waitForRunStatus, type WebStack } from './web-test-stack';
import type { DocumentNode } from '../ir/types';

let stack: WebStack;
let sink: Sink;
let worker: ChildHandle;

beforeAll(async () => {
  sink = await startSink();
  stack = await startWebStack('wait-resume');
  worker = await stack.startWorker();
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  await sink?.close();
});

const waitNode = (id: string, params: Record<string, unknown>) => anyNode(id, 'wait', params);

async function startRun(nodes: DocumentNode[], edges: ReturnType<typeof chain>[]): Promise<string> {
  const created = await stack.api('POST', '/api/workflows', {
    name: `Wait ${Date.now()}`,
    document: docWith(nodes, edges),
  });
  expect(created.status).toBe(201);
  const started = await stack.api('POST', '/api/runs', { workflowId: created.body.workflow.id });
  expect(started.status).toBe(201);
  return started.body.runId;
}

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitingStep(runId: string, nodeId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const steps = await stack.api('GET', `/api/runs/${runId}/steps`);
    const step = steps.body.steps?.find((s: { nodeId: string }) => s.nodeId === nodeId);
    if (step?.status === 'running') return;
    if (Date.now() > deadline) throw new Error(`Node ${nodeId} of run ${runId} never started waiting`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('the resume link resumes once, survives a worker SIGKILL, and refuses a second call and a forged link', async () => {
  const runId = await startRun(
    [
      manualNode('t'),
      httpNode('notify', {
        method: 'POST',
        url: `${sink.url}/notify`,
        bodyType: 'json',
        body: { link: '{{ $resumeUrl("approval") }}' },
      }),
      waitNode('approval', { mode: 'webhook', timeoutAmount: 10, timeoutUnit: 'minutes' }),
      setNode('after', { done: 'yes' }),
    ],
    [chain('t', 'notify'), chain('notify', 'approval'), chain('approval', 'after')],
  );
  const sent = await until(() => sink.requests.find((r) => r.path === '/notify'), 'the notification');
  const link = (JSON.parse(sent.body) as { link: string }).link;
  expect(link).toMatch(new RegExp(`^${stack.url}/hooks/wait/${encodeURIComponent(runId)}/approval/[A-Za-z0-9_-]{43}$`));
  await waitingStep(runId, 'approval');

  // The worker dies while the run waits; a new one takes over. The link does not care.
  worker.kill('SIGKILL');
  await worker.stopped;
  worker = await stack.startWorker();

  const forged = link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
  const forgedRes = await fetch(forged, { method: 'POST' });
  expect(forgedRes.status).toBe(404);
  const otherNode = link.replace('/approval/', '/after/');
  expect((await fetch(otherNode, { method: 'POST' })).status).toBe(404);

  const first = await fetch(link, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ approved: true }),
  });
  expect(first.status).toBe(200);
  const second = await fetch(link, { method: 'POST' });
  expect(second.status).toBe(409);
  expect((await second.json()).error.message).toMatch(/already resumed|no longer/);

  const run = await waitForRunStatus(stack, runId);
  expect(run.status).toBe('succeeded');
  expect(run.output).toEqual({
    after: { method: 'POST', query: {}, body: { approved: true }, done: 'yes' },
  });
  // The run has ended: the link is refused for that reason.
  expect((await fetch(link)).status).toBe(409);
}, 120_000);

test('without a resume in time the input goes down "Timed out"', async () => {
  const runId = await startRun(
    [
      manualNode('t', { samplePayload: { order: 7 } }),
      waitNode('w', { mode: 'webhook', timeoutAmount: 2, timeoutUnit: 'seconds' }),
      setNode('resumed', { how: 'resumed' }),
      setNode('late', { how: 'timed out' }),
    ],
    [chain('t', 'w'), chain('w', 'resumed'), chain('w', 'late', 'timeout')],
  );
  const run = await waitForRunStatus(stack, runId);
  expect(run.status).toBe('succeeded');
  expect(run.output).toEqual({ late: { order: 7, how: 'timed out' } });
}, 60_000);

test('the API resumes a node waiting for it, even one the run has not reached yet, and only once', async () => {
  // The run holds at `gate` until the test lets it go, so every check below sees it still running.
  const runId = await startRun(
    [
      manualNode('t'),
      waitNode('gate', { mode: 'signal' }),
      waitNode('first', { mode: 'duration', amount: 1, unit: 'seconds' }),
      waitNode('signal', { mode: 'signal' }),
      setNode('after', { done: 'yes' }),
    ],
    [chain('t', 'gate'), chain('gate', 'first'), chain('first', 'signal'), chain('signal', 'after')],
  );
  await waitingStep(runId, 'gate');
  const wrongNode = await stack.api('POST', `/api/runs/${runId}/resume`, { node: 'first', data: {} });
  expect(wrongNode.status).toBe(409);
  expect(wrongNode.body.error.message).toMatch(/waits for a time/);
  const unknownNode = await stack.api('POST', `/api/runs/${runId}/resume`, { node: 'nope' });
  expect(unknownNode.status).toBe(404);
  const early = await stack.api('POST', `/api/runs/${runId}/resume`, { node: 'signal', data: { decision: 'go' } });
  expect(early.status).toBe(200);
  const again = await stack.api('POST', `/api/runs/${runId}/resume`, { node: 'signal', data: { decision: 'stop' } });
  expect(again.status).toBe(409);
  expect(again.body.error.message).toMatch(/already resumed/);
  expect((await stack.api('POST', `/api/runs/${runId}/resume`, { node: 'gate' })).status).toBe(200);

  const run = await waitForRunStatus(stack, runId);
  expect(run.status).toBe('succeeded');
  expect(run.output).toEqual({ after: { data: { decision: 'go' }, resumedBy: 'Owner', done: 'yes' } });
  expect((await stack.api('POST', '/api/runs/run_missing/resume', { node: 'signal' })).status).toBe(404);
}, 60_000);
