// Express workflows behind a webhook: the run executes in the web process (no worker runs in this stack, so
// Temporal cannot be what ran it), answers with its output, and is stored once at its end as one run and all
// its steps. A failing node fails the run; a Delay node keeps an express workflow from publishing.
import type { DocumentEdge, DocumentNode } from '../ir/types';
import { chain, codeNode, docWith, setNode, webhookNode } from '../app/web-test-documents';
import { startWebStack, waitForRunStatus, type WebStack } from '../app/web-test-stack';

let stack: WebStack;

beforeAll(async () => {
  stack = await startWebStack('express', { worker: false });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

const expressDoc = (nodes: DocumentNode[], edges: DocumentEdge[]) => ({
  ...docWith(nodes, edges),
  settings: { mode: 'express' },
});

async function createWorkflow(name: string, nodes: DocumentNode[], edges: DocumentEdge[]): Promise<string> {
  const created = await stack.api('POST', '/api/workflows', { name, document: expressDoc(nodes, edges) });
  expect(created.status).toBe(201);
  return created.body.workflow.id;
}

async function publishedExpress(name: string, nodes: DocumentNode[], edges: DocumentEdge[]): Promise<string> {
  const id = await createWorkflow(name, nodes, edges);
  const published = await stack.api('POST', `/api/workflows/${id}/publish`);
  expect(published.status).toBe(201);
  return id;
}

const post = (path: string, body: unknown) =>
  fetch(`${stack.url}/hooks/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

const sumNodes = (waitForCompletion: boolean) => [
  webhookNode('w', { path: 'sum', method: 'POST', waitForCompletion }),
  setNode('s', { doubled: '{{ $trigger.body.n * 2 }}' }),
  codeNode('c', 'return { total: items[0].doubled + 1 };'),
];

test('an express webhook answers with the output of its three nodes', async () => {
  const id = await publishedExpress('Express sum', sumNodes(true), [chain('w', 's'), chain('s', 'c')]);
  const res = await post(`${id}/sum`, { n: 20 });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ c: { total: 41 } });
});

test('an express run is stored once with every step, its inputs and outputs', async () => {
  const id = await publishedExpress('Express stored', sumNodes(false), [chain('w', 's'), chain('s', 'c')]);
  const res = await post(`${id}/sum`, { n: 4 });
  expect(res.status).toBe(202);
  const { runId } = await res.json();
  const run = await waitForRunStatus(stack, runId);
  expect(run).toMatchObject({ status: 'succeeded', mode: 'webhook', express: true, workflowVersion: 1 });
  expect(run.output).toEqual({ c: { total: 9 } });
  expect(run.trigger).toMatchObject({ method: 'POST', path: 'sum', body: { n: 4 } });

  const { body: steps } = await stack.api('GET', `/api/runs/${runId}/steps`);
  const byNode = Object.fromEntries((steps.steps ?? steps).map((s: any) => [s.nodeId, s]));
  expect(Object.keys(byNode).sort()).toEqual(['c', 's', 'w']);
  expect(byNode.w).toMatchObject({ status: 'succeeded', output: { body: { n: 4 } } });
  expect(byNode.s).toMatchObject({ status: 'succeeded', input: { body: { n: 4 } }, output: { doubled: 8 } });
  expect(byNode.c).toMatchObject({ status: 'succeeded', input: { doubled: 8 }, output: { total: 9 } });

  const { body: runs } = await stack.api('GET', `/api/runs?workflowId=${id}`);
  expect(JSON.stringify(runs)).toContain(runId);
});

test('a failing node records its failed step and a failed run; nodes after it never run', async () => {
  const id = await publishedExpress(
    'Express failing',
    [
      webhookNode('w', { path: 'fail', method: 'POST', waitForCompletion: true }),
      codeNode('c', "throw new Error('no stock for this order');"),
      setNode('after', { never: 'runs' }),
    ],
    [chain('w', 'c'), chain('c', 'after')],
  );
  const res = await post(`${id}/fail`, {});
  expect(res.status).toBe(500);
  const body = await res.json();
  expect(body).toEqual({
    error: { message: 'The run failed.', runId: expect.stringMatching(/^run_/), status: 'failed' },
  });
  const run = await waitForRunStatus(stack, body.error.runId);
  expect(run).toMatchObject({ status: 'failed', express: true, error: { nodeId: 'c' } });
  expect(run.error.message).toMatch(/no stock for this order/);

  const { body: steps } = await stack.api('GET', `/api/runs/${body.error.runId}/steps`);
  const statuses = Object.fromEntries((steps.steps ?? steps).map((s: any) => [s.nodeId, s.status]));
  expect(statuses).toEqual({ w: 'succeeded', c: 'failed' });
});

test('a Delay node keeps an express workflow from publishing, with a diagnostic naming it', async () => {
  const delay: DocumentNode = {
    id: 'd',
    type: 'delay',
    version: 1,
    name: 'Wait a bit',
    position: { x: 0, y: 0 },
    params: { amount: 1, unit: 'seconds' },
  };
  const id = await createWorkflow(
    'Express delay',
    [webhookNode('w', { path: 'slow', method: 'POST' }), delay],
    [chain('w', 'd')],
  );
  const published = await stack.api('POST', `/api/workflows/${id}/publish`);
  expect(published.status).toBe(422);
  expect(JSON.stringify(published.body)).toContain('Wait a bit: express workflows run in memory');
  expect(JSON.stringify(published.body)).toContain('"nodeId":"d"');
});

test('data nodes run in express mode too, and Stop and error fails the run with its code', async () => {
  const dataNode = (id: string, type: string, params: Record<string, unknown>): DocumentNode => ({
    id,
    type,
    version: 1,
    name: id,
    position: { x: 0, y: 0 },
    params,
  });
  const id = await publishedExpress(
    'Express data',
    [
      webhookNode('w', { path: 'lines', method: 'POST', waitForCompletion: true }),
      dataNode('split', 'split-out', { field: 'body.orders', splitField: 'lines' }),
      dataNode('sorted', 'sort', { keys: [{ field: 'qty', order: 'desc' }] }),
      dataNode('top', 'limit', { count: 1 }),
    ],
    [chain('w', 'split'), chain('split', 'sorted'), chain('sorted', 'top')],
  );
  const orders = [{ lines: [{ qty: 2 }, { qty: 9 }] }, { lines: [{ qty: 5 }] }];
  const res = await post(`${id}/lines`, { orders });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ top: [{ qty: 9 }] });

  const refusing = await publishedExpress(
    'Express refusing',
    [
      webhookNode('w', { path: 'refuse', method: 'POST', waitForCompletion: true }),
      dataNode('stop', 'stop-and-error', { message: 'Order {{ $input.body.id }} refused', code: 'order-refused' }),
    ],
    [chain('w', 'stop')],
  );
  const refused = await post(`${refusing}/refuse`, { id: 'o-1' });
  expect(refused.status).toBe(500);
  const { error } = await refused.json();
  const run = await waitForRunStatus(stack, error.runId);
  expect(run).toMatchObject({ status: 'failed', express: true, error: { nodeId: 'stop', code: 'order-refused' } });
  expect(run.error.message).toMatch(/Order o-1 refused/);
});
