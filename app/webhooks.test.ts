// Public webhooks: only published versions answer; 202 with a run id, or the final output when the trigger
// waits for completion; caller credentials are redacted in the run record; refusals name no workflow or path.
import { startSink, type Sink } from '../test/sink';
import { chain, codeNode, docWith, httpNode, setNode, webhookNode } from './web-test-documents';
import { startWebStack, waitForRunStatus, type WebStack } from './web-test-stack';

let stack: WebStack;
let sink: Sink;

beforeAll(async () => {
  sink = await startSink();
  sink.handle((req, res) => {
    if (req.path === '/broken') res.writeHead(503, { 'Content-Type': 'text/plain' }).end('down for maintenance');
    else res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true }));
  });
  stack = await startWebStack('webhooks', { worker: true });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  await sink?.close();
});

async function publishedWorkflow(
  name: string,
  nodes: Parameters<typeof docWith>[0],
  edges: Parameters<typeof docWith>[1],
): Promise<string> {
  const created = await stack.api('POST', '/api/workflows', { name, document: docWith(nodes, edges) });
  expect(created.status).toBe(201);
  const published = await stack.api('POST', `/api/workflows/${created.body.workflow.id}/publish`);
  expect(published.status).toBe(201);
  return created.body.workflow.id;
}

const hook = (path: string, init: RequestInit = {}) => fetch(`${stack.url}/hooks/${path}`, init);
const jsonBody = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

test('202 with a run id; the run sees method, path, query and body, with credentials redacted', async () => {
  const id = await publishedWorkflow(
    'Orders',
    [webhookNode('w', { path: 'orders/new', method: 'POST' }), setNode('s', { seen: 'yes' })],
    [chain('w', 's')],
  );
  const res = await hook(
    `${id}/orders/new?source=test`,
    jsonBody(
      { amount: 21 },
      { Authorization: 'Bearer secret-token', 'X-Api-Key': 'secret-key', Cookie: 'baton_session=secret' },
    ),
  );
  expect(res.status).toBe(202);
  const { runId } = await res.json();
  const run = await waitForRunStatus(stack, runId);
  expect(run.status).toBe('succeeded');
  expect(run.mode).toBe('webhook');
  expect(run.workflowVersion).toBe(1);
  expect(run.trigger).toMatchObject({
    method: 'POST',
    path: 'orders/new',
    query: { source: 'test' },
    body: { amount: 21 },
  });
  expect(run.trigger.headers).toMatchObject({
    authorization: '[redacted]',
    'x-api-key': '[redacted]',
    cookie: '[redacted]',
    'content-type': 'application/json',
  });
  const steps = await stack.api('GET', `/api/runs/${runId}/steps`);
  expect(JSON.stringify({ run, steps: steps.body })).not.toMatch(/secret/);
});

test('waitForCompletion answers with the final output, or a 500 with only the run id and status', async () => {
  const id = await publishedWorkflow(
    'Sync',
    [
      webhookNode('w', { path: 'double', method: 'POST', waitForCompletion: true }),
      setNode('s', { doubled: '{{ $trigger.body.n * 2 }}' }),
    ],
    [chain('w', 's')],
  );
  const ok = await hook(`${id}/double`, jsonBody({ n: 21 }));
  expect(ok.status).toBe(200);
  expect(JSON.stringify(await ok.json())).toMatch(/"doubled":42/);

  const broken = httpNode('h', { url: `${sink.url}/broken` });
  broken.policy = { retry: { maximumAttempts: 1, initialIntervalMs: 1000, backoffCoefficient: 2 } };
  const failing = await publishedWorkflow(
    'Failing',
    [webhookNode('w', { path: 'fail', method: 'POST', waitForCompletion: true }), broken],
    [chain('w', 'h')],
  );
  const res = await hook(`${failing}/fail`, jsonBody({}));
  expect(res.status).toBe(500);
  const body = await res.json();
  // The run's error stays in the run record: it may name nodes, hosts and paths.
  expect(body).toEqual({
    error: { message: 'The run failed.', runId: expect.stringMatching(/^run_/), status: 'failed' },
  });
  const run = await waitForRunStatus(stack, body.error.runId);
  expect(run.error.message).toMatch(/503/);
});

test('waitForCompletion answers with large outputs resolved, not as blob references', async () => {
  const id = await publishedWorkflow(
    'Big answer',
    [
      webhookNode('w', { path: 'big', method: 'POST', waitForCompletion: true }),
      codeNode('c', "return { a: 'x'.repeat(150000), b: 'y'.repeat(150000) };"), // over the 256 KB blob threshold
    ],
    [chain('w', 'c')],
  );
  const res = await hook(`${id}/big`, jsonBody({}));
  const text = await res.text();
  expect(res.status).toBe(200);
  expect(text).not.toMatch(/batonBlob/);
  const body = JSON.parse(text);
  expect(JSON.stringify(body)).toContain('x'.repeat(150000));
  expect(JSON.stringify(body)).toContain('y'.repeat(150000));
});

test('unknown workflow, unpublished workflow, wrong path and wrong method get one 404 naming nothing', async () => {
  const id = await publishedWorkflow('Strict orders', [webhookNode('w', { path: 'only-here', method: 'POST' })], []);
  const draft = await stack.api('POST', '/api/workflows', {
    name: 'Draft orders',
    document: docWith([webhookNode('w', { path: 'drafted', method: 'POST' })]),
  });
  const draftId = draft.body.workflow.id;
  const misses = [
    await hook(`000000000000000000000000/only-here`, jsonBody({})),
    await hook(`not-an-id/only-here`, jsonBody({})),
    await hook(`${draftId}/drafted`, jsonBody({})),
    await hook(`${id}/elsewhere`, jsonBody({})),
    await hook(`${id}/only-here`, { method: 'GET' }),
    await hook(id, jsonBody({})),
  ];
  for (const res of misses) {
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('{"error":{"message":"No webhook at this URL."}}');
  }
  expect((await hook(`${id}/only-here`, jsonBody({}))).status).toBe(202);
});

test('oversized and malformed bodies are refused without echoing them', async () => {
  const id = await publishedWorkflow('Bodies', [webhookNode('w', { path: 'in', method: 'POST' })], []);
  const big = await hook(`${id}/in`, jsonBody({ blob: 'x'.repeat(1_100_000) }));
  expect(big.status).toBe(413);
  expect((await big.json()).error.message).toMatch(/1MB/);
  const bad = await hook(`${id}/in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{"leak": ',
  });
  expect(bad.status).toBe(400);
  expect(await bad.text()).toBe('{"error":{"message":"Request body is not valid for its Content-Type."}}');
});
