// The run history API through the real web server and worker: "Tag run" settings on a trigger, a pure node, an
// activity and a control node are recorded on real runs and found by tag search; GET /api/runs refuses bad filter values naming the
// parameter; a run's JSON export holds its steps and values but no credential secret; another workspace finds
// nothing; bulk cancel stops runs by id and by filter.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { recordStep } from '../db/steps';
import { createUser } from '../db/users';
import { createWorkspace } from '../db/workspaces';
import { startSink, type Sink } from '../test/sink';
import { anyNode, chain, codeNode, docWith, httpNode, manualNode } from './web-test-documents';
import { runToEnd, startWebStack, waitForRunStatus, type WebStack } from './web-test-stack';

let stack: WebStack;
let sink: Sink;
const CANARY = `canary-${randomUUID()}`;
const employee = `E-${randomUUID().slice(0, 8)}`;
let taggedRunId: string;

beforeAll(async () => {
  stack = await startWebStack('runs_history', { worker: true });
  sink = await startSink();
  await mongoose.connect(stack.mongoUri);
}, 240_000);

afterAll(async () => {
  await mongoose.disconnect();
  await sink?.close();
  await stack?.stop();
});

const tags = (...pairs: Array<[string, string]>) => ({ tags: pairs.map(([key, value]) => ({ key, value })) });

test('tags set by the trigger, a pure node, an activity and a control node are stored on the run and found by tag search', async () => {
  const credential = await stack.api('POST', '/api/credentials', {
    name: 'Canary header',
    type: 'http-header-auth',
    values: { name: 'X-Canary', value: CANARY },
  });
  expect(credential.status).toBe(201);
  const document = docWith(
    [
      { ...manualNode('t'), policy: tags(['employeeId', '{{ $.employeeId }}'], ['kind', 'onboarding']) },
      { ...codeNode('c', 'return { dept: "hr", size: 3 };'), policy: tags(['dept', '{{ $.dept }}']) },
      {
        ...httpNode('h', {
          url: `${sink.url}/echo`,
          authentication: 'credential',
          credential: credential.body.credential.id,
        }),
        policy: tags(['called', 'yes']),
      },
      // A control node: the workflow runs it and records its step itself.
      { ...anyNode('w', 'delay', { amount: 1, unit: 'seconds' }), policy: tags(['waited', '{{ $.status }}']) },
    ],
    [chain('t', 'c'), chain('c', 'h'), chain('h', 'w')],
  );
  const created = await stack.api('POST', '/api/workflows', { name: 'Tagged onboarding', document });
  expect(created.status).toBe(201);
  const run = await runToEnd(stack, created.body.workflow.id, { employeeId: employee });
  expect(run.status).toBe('succeeded');
  taggedRunId = run.runId;

  const byTag = await stack.api('GET', `/api/runs?tag=${encodeURIComponent(`employeeId=${employee}`)}`);
  expect(byTag.status).toBe(200);
  expect(byTag.body.runs.map((r: { runId: string }) => r.runId)).toEqual([taggedRunId]);
  expect(byTag.body.runs[0].tags).toEqual({
    employeeId: employee,
    kind: 'onboarding',
    dept: 'hr',
    called: 'yes',
    waited: '200',
  });
  const bySearch = await stack.api('GET', `/api/runs?q=${encodeURIComponent(`dept:hr`)}`);
  expect(bySearch.body.runs.map((r: { runId: string }) => r.runId)).toContain(taggedRunId);
  const byId = await stack.api('GET', `/api/runs?q=${taggedRunId}`);
  expect(byId.body.runs.map((r: { runId: string }) => r.runId)).toEqual([taggedRunId]);
  expect((await stack.api('GET', `/api/runs?tag=employeeId%3Dnobody`)).body.runs).toEqual([]);
}, 180_000);

test('a hostile tag key is refused when the workflow is saved, naming the node and the key', async () => {
  const document = docWith(
    [{ ...manualNode('t'), policy: tags(['$where', '1']) }, anyNode('s', 'set-fields', {})],
    [chain('t', 's')],
  );
  const created = await stack.api('POST', '/api/workflows', { name: 'Hostile tag', document });
  expect(created.status).toBe(422);
  expect(JSON.stringify(created.body)).toMatch(/t: Tag key \\"\$where\\" must start with a letter/);
});

test('bad filter values are refused with a 400 naming the parameter', async () => {
  const refused = async (query: string, field: string) => {
    const res = await stack.api('GET', `/api/runs?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(`${field}:`);
  };
  await refused('status=exploded', 'status');
  await refused('mode=carrier-pigeon', 'mode');
  await refused('from=yesterday', 'from');
  await refused('from=2025-03-02&to=2025-03-01', 'from');
  await refused(`tag=${encodeURIComponent('$where=1')}`, 'tag');
  await refused('tag=noequals', 'tag');
  await refused('cursor=not-a-cursor!', 'cursor');
  await refused('limit=0', 'limit');
  expect((await stack.api('GET', '/api/runs?status=awaiting-approval&from=2025-01-01')).status).toBe(200);
});

test('the export holds the run, its steps and their values, and no credential secret', async () => {
  const res = await fetch(`${stack.url}/api/runs/${taggedRunId}/export`, {
    headers: { Authorization: `Bearer ${stack.token}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toContain('attachment');
  const text = await res.text();
  expect(sink.requests.some((r) => r.headers['x-canary'] === CANARY)).toBe(true);
  expect(text).not.toContain(CANARY);
  expect(text).not.toContain('$batonBlob');
  const body = JSON.parse(text);
  expect(body.run).toMatchObject({ runId: taggedRunId, status: 'succeeded', trigger: { employeeId: employee } });
  expect(body.steps.map((s: { nodeId: string }) => s.nodeId).sort()).toEqual(['c', 'h', 't', 'w']);
  expect(body.steps.find((s: { nodeId: string }) => s.nodeId === 'c').output).toEqual({ dept: 'hr', size: 3 });
});

test("the export holds a failed step's evidence (details) as JSON, not as stored text", async () => {
  const evidence = { url: 'http://127.0.0.1:1/form', steps: [{ index: 1, action: 'click', ok: false, error: 'gone' }] };
  await recordStep({
    runId: taggedRunId,
    nodeId: 'evidence',
    nodeName: 'Failed browser',
    type: 'browser',
    iteration: 0,
    status: 'failed',
    attempt: 1,
    error: { message: 'Step 1 (click): gone', code: 'browser-step-failed' },
    details: JSON.stringify(evidence),
  });
  const res = await fetch(`${stack.url}/api/runs/${taggedRunId}/export`, {
    headers: { Authorization: `Bearer ${stack.token}` },
  });
  const body = await res.json();
  expect(body.steps.find((s: { nodeId: string }) => s.nodeId === 'evidence').details).toEqual(evidence);
});

test('another workspace finds none of the runs; bulk cancel stops runs by id and by filter', async () => {
  const user = await createUser({ email: 'runs-other@baton.test', name: 'Other', password: 'other-password-1' });
  await createWorkspace({ name: 'Elsewhere', ownerId: user.id });
  const login = await fetch(`${stack.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.url },
    body: new URLSearchParams({ email: 'runs-other@baton.test', password: 'other-password-1', redirectTo: '/' }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const other = (method: string, path: string, body?: unknown) =>
    stack.api(method, path, body, { token: null, headers: { Cookie: cookie, Origin: stack.url } });
  expect((await other('GET', `/api/runs?tag=${encodeURIComponent(`employeeId=${employee}`)}`)).body.runs).toEqual([]);
  expect((await other('GET', `/api/runs?q=${taggedRunId}`)).body.runs).toEqual([]);
  expect((await other('GET', `/api/runs/${taggedRunId}/export`)).status).toBe(404);

  const document = docWith(
    [manualNode('t'), anyNode('d', 'delay', { amount: 10, unit: 'minutes' })],
    [chain('t', 'd')],
  );
  const wf = (await stack.api('POST', '/api/workflows', { name: 'Waits for bulk cancel', document })).body.workflow.id;
  const start = async () => (await stack.api('POST', '/api/runs', { workflowId: wf })).body.runId as string;
  const [first, second] = [await start(), await start()];
  const foreign = await other('POST', '/api/runs/bulk', { action: 'cancel', runIds: [first] });
  expect(foreign.body).toEqual({ cancelled: [], skipped: [{ runId: first, reason: 'does not exist' }] });

  const byId = await stack.api('POST', '/api/runs/bulk', { action: 'cancel', runIds: [first] });
  expect(byId.body.cancelled).toEqual([first]);
  expect((await waitForRunStatus(stack, first)).status).toBe('cancelled');
  const byFilter = await stack.api('POST', '/api/runs/bulk', { action: 'cancel', filter: { workflowId: wf } });
  expect(byFilter.body.cancelled).toEqual([second]);
  expect((await waitForRunStatus(stack, second)).status).toBe('cancelled');
  expect((await stack.api('POST', '/api/runs/bulk', { action: 'retry', runIds: [first] })).status).toBe(400);
}, 180_000);
