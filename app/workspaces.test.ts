// Workspaces through the real web server and worker (decision 036): every workflow, version and run belongs to one
// workspace, and a caller of another workspace finds none of them (API, pages, socket rooms). Webhook runs land in
// their workflow's workspace, child runs in their parent's, and a reference to another workspace's workflow is
// refused. Publish, unpublish, delete, run start, cancel and terminate leave one audit entry each. An install from
// before workspaces moves into the default workspace and everything opens.
import mongoose from 'mongoose';
import { io, type Socket } from 'socket.io-client';
import type { WorkflowDocument } from '../ir/types';
import { createUser } from '../db/users';
import { addMember, createWorkspace, migrateToWorkspaces, systemScope } from '../db/workspaces';
import { updateWorkflow } from '../db/workflows';
import { anyNode as node, chain, docWith, manualNode, setNode, webhookNode } from './web-test-documents';
import { runToEnd, startWebStack, waitForRunStatus, type WebStack } from './web-test-stack';

let stack: WebStack;
const sockets: Socket[] = [];
const DEFAULT_WS = 'ws_default';
let otherWs: string;

/** A signed-in browser: the session cookie from POST /login, sent with our Origin as the pages send it. */
interface Browser {
  api: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any; headers: Headers }>;
  page: (path: string, init?: { method?: string; form?: Record<string, string> }) => Promise<Response>;
  cookie: string;
}

async function signIn(email: string, password: string): Promise<Browser> {
  const res = await fetch(`${stack.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.url },
    body: new URLSearchParams({ email, password, redirectTo: '/' }),
  });
  expect(res.status).toBe(302);
  const browser: Browser = {
    cookie: cookiesOf(res).join('; '),
    api: (method, path, body) =>
      stack.api(method, path, body, { token: null, headers: { Cookie: browser.cookie, Origin: stack.url } }),
    page: (path, init = {}) =>
      fetch(`${stack.url}${path}`, {
        method: init.method ?? 'GET',
        redirect: 'manual',
        headers: {
          Cookie: browser.cookie,
          Origin: stack.url,
          ...(init.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: init.form ? new URLSearchParams(init.form) : undefined,
      }),
  };
  return browser;
}

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]);

let other: Browser; // owner of "Other", member of nothing else
let both: Browser; // editor in the default workspace, viewer in "Other"
let viewer: Browser; // viewer in the default workspace

beforeAll(async () => {
  stack = await startWebStack('workspaces', { worker: true });
  await mongoose.connect(stack.mongoUri);
  const otherUser = await createUser({ email: 'other@baton.test', name: 'Other', password: 'other-password' });
  const bothUser = await createUser({ email: 'both@baton.test', name: 'Both', password: 'both-password' });
  const viewerUser = await createUser({ email: 'viewer@baton.test', name: 'Viewer', password: 'viewer-password' });
  otherWs = (await createWorkspace({ name: 'Other', ownerId: otherUser.id })).id;
  await addMember(DEFAULT_WS, bothUser.id, 'editor');
  await addMember(otherWs, bothUser.id, 'viewer');
  await addMember(DEFAULT_WS, viewerUser.id, 'viewer');
  other = await signIn('other@baton.test', 'other-password');
  both = await signIn('both@baton.test', 'both-password');
  viewer = await signIn('viewer@baton.test', 'viewer-password');
}, 240_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await mongoose.disconnect();
  await stack?.stop();
});

const simple = (greeting = 'hi') => docWith([manualNode('t'), setNode('s', { greeting })], [chain('t', 's')]);

async function createAs(api: Browser['api'] | WebStack['api'], name: string, document: WorkflowDocument) {
  const res = await api('POST', '/api/workflows', { name, document });
  expect(res.status).toBe(201);
  return res.body.workflow as { id: string; workspaceId: string; revision: number };
}

const auditEntries = (action: string, targetId: string) =>
  mongoose.connection.db!.collection('audit_log').find({ action, 'target.id': targetId }).toArray();

describe('another workspace’s workflows and runs read as missing', () => {
  let mine: string;
  let theirs: string;
  let myRun: string;
  let theirRun: string;

  beforeAll(async () => {
    mine = (await createAs(stack.api, 'Mine', simple('mine'))).id;
    const created = await createAs(other.api, 'Theirs', simple('theirs'));
    expect(created.workspaceId).toBe(otherWs);
    theirs = created.id;
    myRun = (await runToEnd(stack, mine)).runId;
    const started = await other.api('POST', '/api/runs', { workflowId: theirs });
    expect(started.status).toBe(201);
    theirRun = started.body.runId;
    expect((await other.api('GET', `/api/runs/${theirRun}`)).body.run.workspaceId).toBe(otherWs);
  }, 120_000);

  test('lists hold only the own workspace’s workflows and runs', async () => {
    const ids = (res: { body: { workflows?: Array<{ id: string }>; runs?: Array<{ runId: string }> } }) =>
      (res.body.workflows ?? []).map((w) => w.id).concat((res.body.runs ?? []).map((r) => r.runId));
    expect(ids(await stack.api('GET', '/api/workflows'))).toContain(mine);
    expect(ids(await stack.api('GET', '/api/workflows'))).not.toContain(theirs);
    expect(ids(await other.api('GET', '/api/workflows'))).toEqual([theirs]);
    expect(ids(await stack.api('GET', '/api/runs'))).toContain(myRun);
    expect(ids(await stack.api('GET', '/api/runs'))).not.toContain(theirRun);
    expect(ids(await stack.api('GET', `/api/runs?workflowId=${theirs}`))).toEqual([]);
    expect(ids(await other.api('GET', '/api/runs'))).toEqual([theirRun]);
  });

  test('reads, writes and runs of another workspace’s workflow answer 404; the own workspace’s work', async () => {
    const current = await other.api('GET', `/api/workflows/${theirs}`);
    expect(current.status).toBe(200);
    const revision = current.body.workflow.revision;
    const refusals = [
      await stack.api('GET', `/api/workflows/${theirs}`),
      await stack.api('PUT', `/api/workflows/${theirs}`, { revision, name: 'Taken' }),
      await stack.api('PATCH', `/api/workflows/${theirs}`, { retention: { runs: 1 } }),
      await stack.api('POST', `/api/workflows/${theirs}/publish`),
      await stack.api('POST', `/api/workflows/${theirs}/unpublish`),
      await stack.api('GET', `/api/workflows/${theirs}/versions`),
      await stack.api('GET', `/api/workflows/${theirs}/schedule`),
      await stack.api('POST', '/api/runs', { workflowId: theirs }),
      await stack.api('DELETE', `/api/workflows/${theirs}`),
    ];
    expect(refusals.map((r) => r.status)).toEqual(refusals.map(() => 404));
    const after = await other.api('GET', `/api/workflows/${theirs}`);
    expect(after.body.workflow).toMatchObject({ name: 'Theirs', revision, retention: { runs: null } });
    expect((await other.api('POST', `/api/workflows/${theirs}/publish`)).status).toBe(201);
    expect((await other.api('GET', `/api/workflows/${theirs}/versions`)).body.versions).toHaveLength(1);
  });

  test('another workspace’s run, its steps, output and controls answer 404', async () => {
    const paths = ['', '/steps', '/steps/s/output', '/output', '/waits'];
    for (const path of paths) expect((await stack.api('GET', `/api/runs/${theirRun}${path}`)).status).toBe(404);
    for (const action of ['cancel', 'terminate'])
      expect((await stack.api('POST', `/api/runs/${theirRun}/${action}`)).status).toBe(404);
    expect((await stack.api('POST', `/api/runs/${theirRun}/resume`, { node: 's' })).status).toBe(404);
    expect((await other.api('GET', `/api/runs/${myRun}`)).status).toBe(404);
    expect((await stack.api('GET', `/api/runs/${myRun}/steps`)).status).toBe(200);
  });

  test('pages: another workspace’s workflow is not found; a member of it is switched there', async () => {
    const owner = await signIn('owner@baton.test', 'owner-password');
    expect((await owner.page(`/workflows/${theirs}`)).status).toBe(404);
    expect((await owner.page(`/workflows/${theirs}/runs`)).status).toBe(404);
    expect((await owner.page(`/workflows/${mine}`)).status).toBe(200);

    // "Both" acts in the default workspace first (workspaces sort by name); the link to "Theirs" switches them.
    expect((await both.page('/')).status).toBe(200);
    const switched = await both.page(`/workflows/${theirs}?run=${theirRun}`);
    expect(switched.status).toBe(302);
    expect(switched.headers.get('location')).toBe(`/workflows/${theirs}?run=${theirRun}`);
    expect(cookiesOf(switched)).toContain(`baton_workspace=${otherWs}`);
    const inOther = { ...both, cookie: `${both.cookie}; baton_workspace=${otherWs}` };
    const opened = await fetch(`${stack.url}/workflows/${theirs}`, { headers: { Cookie: inOther.cookie } });
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('Theirs');
  });

  test('the list page’s create and delete need workflow.write: a viewer gets a 403 naming it', async () => {
    const list = await viewer.page('/');
    expect(list.status).toBe(200);
    expect(await list.text()).not.toMatch(/New workflow|Delete Mine/);
    expect(await (await both.page('/')).text()).toMatch(/New workflow[\s\S]*Delete Mine/);
    const create = await viewer.page('/?index', { method: 'POST', form: { intent: 'create' } });
    expect(create.status).toBe(403);
    expect(await create.text()).toMatch(/workflow\.write/);
    const remove = await viewer.page('/?index', { method: 'POST', form: { intent: 'delete', id: mine } });
    expect(remove.status).toBe(403);
    expect((await stack.api('GET', `/api/workflows/${mine}`)).status).toBe(200);
  });

  test('socket rooms: another workspace’s run and workflow are refused and not joined', async () => {
    const connect = async (auth: Record<string, string>, cookie?: string) => {
      const socket = io(stack.url, {
        auth,
        transports: ['websocket'],
        reconnection: false,
        ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}),
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      return socket;
    };
    const owner = await connect({ token: stack.token });
    for (const message of [{ runId: theirRun }, { workflowId: theirs }, { runId: 'run_missing' }])
      expect(await owner.emitWithAck('subscribe', message)).toEqual({ ok: false, error: expect.any(String) });
    expect(await owner.emitWithAck('subscribe', { runId: myRun })).toEqual({ ok: true, room: `run:${myRun}` });
    expect(await owner.emitWithAck('subscribe', { workflowId: mine })).toEqual({
      ok: true,
      room: `workflow:${mine}`,
    });
    const theirSocket = await connect({}, other.cookie);
    expect(await theirSocket.emitWithAck('subscribe', { runId: theirRun })).toEqual({
      ok: true,
      room: `run:${theirRun}`,
    });
    expect((await theirSocket.emitWithAck('subscribe', { workflowId: mine })).ok).toBe(false);

    // Refused means not joined: a run event of the other workspace never reaches the refused socket.
    const seen: unknown[] = [];
    owner.on('run-event', (e: { runId: string }) => e.runId !== myRun && seen.push(e));
    const again = await other.api('POST', '/api/runs', { workflowId: theirs });
    const theirEvents: unknown[] = [];
    theirSocket.on('run-event', (e: { runId: string }) => e.runId === again.body.runId && theirEvents.push(e));
    await theirSocket.emitWithAck('subscribe', { runId: again.body.runId });
    await waitForRunStatus({ ...stack, api: other.api as WebStack['api'] }, again.body.runId);
    // The relay delivers a run's events on its next poll of the event feed, which a loaded machine delays.
    for (let waited = 0; theirEvents.length === 0 && waited < 20_000; waited += 100)
      await new Promise((r) => setTimeout(r, 100));
    expect(theirEvents.length).toBeGreaterThan(0);
    expect(seen).toEqual([]);
  }, 60_000);
});

describe('runs land in their workflow’s workspace', () => {
  test('a webhook run, standard and express, lands in the workflow’s workspace', async () => {
    for (const mode of ['standard', 'express'] as const) {
      const document = {
        ...docWith([webhookNode('w', { path: 'in', method: 'POST' }), setNode('s', { ok: 'yes' })], [chain('w', 's')]),
        settings: { mode },
      };
      const { id } = await createAs(other.api, `Hook ${mode}`, document);
      expect((await other.api('POST', `/api/workflows/${id}/publish`)).status).toBe(201);
      const res = await fetch(`${stack.url}/hooks/${id}/in`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(202);
      const { runId } = await res.json();
      const run = await waitForRunStatus({ ...stack, api: other.api as WebStack['api'] }, runId);
      expect(run).toMatchObject({ workspaceId: otherWs, status: 'succeeded', mode: 'webhook' });
      expect((await stack.api('GET', `/api/runs/${runId}`)).status).toBe(404);
    }
  }, 60_000);

  test('a child run is in its parent’s workspace; another workspace’s workflow is refused, naming the node', async () => {
    const child = await createAs(stack.api, 'Child', simple('child'));
    expect((await stack.api('POST', `/api/workflows/${child.id}/publish`)).status).toBe(201);
    const callerDoc = (workflowId: string) =>
      docWith(
        [manualNode('t'), node('call', 'execute-workflow', { workflowId, input: '{{ {} }}' })],
        [chain('t', 'call')],
      );
    const parent = await createAs(stack.api, 'Parent', callerDoc(child.id));
    const done = await runToEnd(stack, parent.id);
    expect(done.status).toBe('succeeded');
    const view = await stack.api('GET', `/api/runs/${done.runId}`);
    expect(view.body.children).toHaveLength(1);
    const childRun = await stack.api('GET', `/api/runs/${view.body.children[0].runId}`);
    expect(childRun.body.run).toMatchObject({ workspaceId: DEFAULT_WS, parentRunId: done.runId });
    expect((await other.api('GET', `/api/runs/${view.body.children[0].runId}`)).status).toBe(404);

    // Naming the default workspace's child from "Other": refused at create, save and as error workflow.
    const created = await other.api('POST', '/api/workflows', { name: 'Reach', document: callerDoc(child.id) });
    expect(created.status).toBe(400);
    expect(created.body.error.message).toMatch(/Node "call".*not a workflow of this workspace/);
    const reach = await createAs(other.api, 'Reach', simple());
    const saved = await other.api('PUT', `/api/workflows/${reach.id}`, {
      revision: reach.revision,
      document: { ...simple(), settings: { errorWorkflowId: child.id } },
    });
    expect(saved.status).toBe(400);
    expect(saved.body.error).toMatchObject({
      field: 'errorWorkflowId',
      message: expect.stringMatching(/error workflow/),
    });

    // Stored anyway (not through the API): running the draft and publishing it are refused too.
    await updateWorkflow(systemScope(otherWs), reach.id, reach.revision, { document: callerDoc(child.id) });
    const started = await other.api('POST', '/api/runs', { workflowId: reach.id, version: 'draft' });
    expect(started.status).toBe(400);
    const published = await other.api('POST', `/api/workflows/${reach.id}/publish`);
    expect(published.status).toBe(400);
  }, 90_000);
});

describe('audit', () => {
  test('publish, unpublish, settings, run start, cancel, terminate and delete leave one entry each', async () => {
    const delay = docWith([manualNode('t'), node('d', 'delay', { amount: 60, unit: 'seconds' })], [chain('t', 'd')]);
    const { id } = await createAs(stack.api, 'Audited', delay);
    expect((await stack.api('POST', `/api/workflows/${id}/publish`)).status).toBe(201);
    expect((await stack.api('POST', `/api/workflows/${id}/unpublish`)).status).toBe(200);
    expect((await stack.api('PATCH', `/api/workflows/${id}`, { retention: { runs: 5 } })).status).toBe(200);
    const first = (await stack.api('POST', '/api/runs', { workflowId: id })).body.runId;
    const second = (await stack.api('POST', '/api/runs', { workflowId: id })).body.runId;
    expect((await stack.api('POST', `/api/runs/${first}/cancel`, { reason: 'test' })).status).toBeLessThan(300);
    expect((await stack.api('POST', `/api/runs/${second}/terminate`)).status).toBe(200);
    expect((await stack.api('DELETE', `/api/workflows/${id}?runs=keep`)).status).toBe(204);

    for (const [action, target] of [
      ['workflow.publish', id],
      ['workflow.unpublish', id],
      ['workflow.settings', id],
      ['workflow.delete', id],
      ['run.start', first],
      ['run.start', second],
      ['run.cancel', first],
      ['run.terminate', second],
    ]) {
      const entries = await auditEntries(action, target);
      expect({ action, count: entries.length }).toEqual({ action, count: 1 });
      expect(entries[0]).toMatchObject({ workspaceId: DEFAULT_WS, actor: { name: 'Owner', via: 'token' } });
    }
    // A refused attempt records nothing: cancelling the run once it has ended (a first cancel answers 202 while the
    // interpreter is still stopping, and another cancel then is accepted).
    expect((await waitForRunStatus(stack, first)).status).toBe('cancelled');
    expect((await stack.api('POST', `/api/runs/${first}/cancel`)).status).toBe(409);
    expect(await auditEntries('run.cancel', first)).toHaveLength(1);
  }, 60_000);
});

test('an install from before workspaces moves into the default workspace, and everything opens', async () => {
  const db = mongoose.connection.db!;
  const id = new mongoose.Types.ObjectId();
  const now = new Date();
  await db.collection('workflows').insertOne({
    _id: id,
    name: 'From before',
    ownerId: 'old-owner',
    revision: 1,
    documentJson: JSON.stringify(simple('old')),
    tags: [],
    publishedVersion: 1,
    createdAt: now,
    updatedAt: now,
  });
  await db.collection('workflow_versions').insertOne({
    _id: `${id}:1` as never,
    workflowId: String(id),
    version: 1,
    documentJson: JSON.stringify(simple('old')),
    planHash: 'old-plan',
    createdBy: 'old-owner',
    createdAt: now,
  });
  await db.collection('runs').insertOne({
    _id: 'run_from_before' as never,
    runId: 'run_from_before',
    workflowId: String(id),
    planHash: 'old-plan',
    status: 'succeeded',
    mode: 'manual',
    trigger: '{}',
    startedAt: now,
    endedAt: now,
  });
  expect((await stack.api('GET', `/api/workflows/${id}`)).status).toBe(404);

  const ownerId = (await db.collection('users').findOne({ email: 'owner@baton.test' }))!._id;
  const moved = await migrateToWorkspaces(String(ownerId));
  expect(moved).toEqual({ workspaceId: DEFAULT_WS, moved: { workflows: 1, workflow_versions: 1, runs: 1 } });
  expect(await migrateToWorkspaces(String(ownerId))).toBeUndefined();

  expect((await stack.api('GET', `/api/workflows/${id}`)).body.workflow).toMatchObject({ workspaceId: DEFAULT_WS });
  expect((await stack.api('GET', `/api/workflows/${id}/versions`)).body.versions).toHaveLength(1);
  expect((await stack.api('GET', '/api/runs/run_from_before')).body.run).toMatchObject({ workspaceId: DEFAULT_WS });
  const owner = await signIn('owner@baton.test', 'owner-password');
  expect((await owner.page(`/workflows/${id}`)).status).toBe(200);
  expect((await owner.page(`/workflows/${id}/runs`)).status).toBe(200);
  expect((await other.api('GET', `/api/workflows/${id}`)).status).toBe(404);
});
