// Admission control against a real web server, worker, Temporal and Mongo: with no worker running, runs pile up
// as queued until BATON_MAX_BACKLOG, then webhooks and POST /api/runs answer 503 with Retry-After and start
// nothing; once a worker drains the backlog every accepted run finishes and new runs are accepted again. Runs
// parked in a Delay have started, so they never count as backlog.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeTemporalClient, terminateRun } from '../temporal/client';
import { startWorker, type ChildHandle } from '../test/stack';
import { chain, docWith, setNode, webhookNode } from './web-test-documents';
import { startWebStack, waitForRunStatus, type WebStack } from './web-test-stack';

const MAX_BACKLOG = 3;
let stack: WebStack;
let worker: ChildHandle | undefined;

beforeAll(async () => {
  process.env.BATON_MAX_BACKLOG = String(MAX_BACKLOG); // the web server inherits it
  stack = await startWebStack('admission'); // no worker yet: every run stays queued
}, 240_000);

afterAll(async () => {
  worker?.kill();
  await worker?.stopped;
  await stack?.stop();
  await closeTemporalClient();
});

async function published(name: string, nodes: Parameters<typeof docWith>[0], edges: Parameters<typeof docWith>[1]) {
  const created = await stack.api('POST', '/api/workflows', { name, document: docWith(nodes, edges) });
  expect(created.status).toBe(201);
  expect((await stack.api('POST', `/api/workflows/${created.body.workflow.id}/publish`)).status).toBe(201);
  return created.body.workflow.id as string;
}

const hook = (workflowId: string, path: string) =>
  fetch(`${stack.url}/hooks/${workflowId}/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ n: 1 }),
  });

/** Retries like a client that honours Retry-After, until the request is accepted or the deadline passes. */
async function acceptedEventually(send: () => Promise<Response>, timeoutMs = 60_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await send();
    if (res.status !== 503) return res;
    if (Date.now() > deadline) throw new Error(`Still refused with 503 after ${timeoutMs} ms: ${await res.text()}`);
    await new Promise((r) => setTimeout(r, Number(res.headers.get('Retry-After')) * 1000));
  }
}

test('past the backlog bound, webhooks and POST /api/runs answer 503 with Retry-After; after the drain all finish', async () => {
  const id = await published(
    'Orders',
    [webhookNode('w', { path: 'orders', method: 'POST' }), setNode('s', { seen: 'yes' })],
    [chain('w', 's')],
  );
  const accepted: string[] = [];
  for (let i = 0; i < MAX_BACKLOG; i++) {
    const res = await hook(id, 'orders');
    expect(res.status).toBe(202);
    accepted.push((await res.json()).runId);
  }

  const refused = await hook(id, 'orders');
  expect(refused.status).toBe(503);
  expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
  expect(await refused.json()).toEqual({
    error: { message: 'Too many runs are waiting to start; retry after the number of seconds in Retry-After.' },
  });
  const manual = await stack.api('POST', '/api/runs', { workflowId: id, version: 1 });
  expect(manual.status).toBe(503);
  expect(Number(manual.headers.get('Retry-After'))).toBeGreaterThan(0);
  expect(manual.body.error.message).toMatch(/3 runs are waiting for a worker, the limit is 3 \(BATON_MAX_BACKLOG\)/);
  // Refused requests started nothing.
  expect((await stack.api('GET', `/api/runs?workflowId=${id}`)).body.runs).toHaveLength(MAX_BACKLOG);

  worker = await startWorker({
    queuePrefix: `test-admission-${process.pid}-`,
    env: { MONGODB_URI: stack.mongoUri, BATON_HOME: mkdtempSync(join(tmpdir(), 'baton-worker-')) },
  });
  for (const runId of accepted) expect((await waitForRunStatus(stack, runId)).status).toBe('succeeded');
  const again = await acceptedEventually(() => hook(id, 'orders'));
  expect(again.status).toBe(202);
  expect((await waitForRunStatus(stack, (await again.json()).runId)).status).toBe('succeeded');
}, 240_000);

test('runs waiting in a Delay have started, so more of them than the bound are accepted', async () => {
  expect(worker).toBeDefined(); // started by the test above
  const delay = {
    id: 'd',
    type: 'delay',
    version: 1,
    name: 'd',
    position: { x: 500, y: 100 },
    params: { amount: 10, unit: 'minutes' },
  };
  const id = await published('Parked', [webhookNode('w', { path: 'park', method: 'POST' }), delay], [chain('w', 'd')]);
  const parked: string[] = [];
  try {
    for (let i = 0; i < MAX_BACKLOG + 2; i++) {
      const res = await acceptedEventually(() => hook(id, 'park'));
      expect(res.status).toBe(202);
      parked.push((await res.json()).runId);
    }
    const statuses = await Promise.all(
      parked.map(async (runId) => (await stack.api('GET', `/api/runs/${runId}`)).body),
    );
    expect(statuses.filter((s) => s.run.status === 'succeeded' || s.run.status === 'failed')).toEqual([]);
  } finally {
    for (const runId of parked) await terminateRun(runId, 'test finished').catch(() => undefined);
  }
}, 240_000);
