// Deciding approvals through the real web server and a real worker: the inbox, decisions through the API (an
// `approve` token; refusals by scope, workspace, body and the run's own rules, each run refusal's `reason` with its
// status), bulk decide, delegation, audit entries, the live badge event in the addressed users' rooms only, and the
// emailed link (GET decides nothing, POST decides once; reused, other approver's, expired and tampered links refused).
import { jest } from '@jest/globals';
import mongoose from 'mongoose';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { APPROVAL_EVENT, type ApprovalEvent } from '../contracts/approvals';
import { SUBSCRIBE, type SubscribeAck } from '../contracts/live-events';
import { createApiToken } from '../db/api-tokens';
import { approvalLinkToken } from '../db/approval-links';
import { listAudit } from '../db/audit';
import { createUser, type User } from '../db/users';
import { addMember, createWorkspace, systemScope } from '../db/workspaces';
import { anyNode, chain, docWith, manualNode, setNode } from './web-test-documents';
import { startWebStack, waitForRunStatus, type WebStack } from './web-test-stack';

// The first request to each page and route compiles it (the web server runs from source), slow on a busy machine.
jest.setTimeout(240_000);

const SECRET = 'approvals-test-secret-0123456789';
const PASSWORD = 'approver-password-1';

let stack: WebStack;
let workspaceId: string;
const people: Record<'ana' | 'ben' | 'cy' | 'vic', User> = {} as never;
const cookies: Record<string, string> = {};
let anaApprove: string;
let anaRunOnly: string;
let strangerToken: string;
const sockets: Socket[] = [];

async function signIn(email: string): Promise<string> {
  const res = await fetch(`${stack.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.url },
    body: new URLSearchParams({ email, password: email === 'owner@baton.test' ? 'owner-password' : PASSWORD }),
  });
  if (res.status !== 302) throw new Error(`Sign-in of ${email} answered ${res.status}.`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

beforeAll(async () => {
  process.env.BATON_SECRET = SECRET; // links minted here verify in the web server
  stack = await startWebStack('approval_web', { worker: true, env: { BATON_SECRET: SECRET } });
  await mongoose.connect(stack.mongoUri);
  const owner = (await stack.api('GET', '/api/me')).body.user;
  workspaceId = (await mongoose.connection.collection('memberships').findOne({ userId: owner.id }))!
    .workspaceId as string;
  const roles = { ana: 'approver', ben: 'operator', cy: 'editor', vic: 'viewer' } as const;
  for (const [name, role] of Object.entries(roles)) {
    const user = await createUser({ email: `${name}@approvals.test`, name: name.toUpperCase(), password: PASSWORD });
    await addMember(workspaceId, user.id, role);
    people[name as keyof typeof roles] = user;
    cookies[name] = await signIn(`${name}@approvals.test`);
  }
  cookies.owner = await signIn('owner@baton.test');
  anaApprove = (await createApiToken({ userId: people.ana.id, workspaceId, name: 'approve', scopes: ['approve'] }))
    .token;
  anaRunOnly = (await createApiToken({ userId: people.ana.id, workspaceId, name: 'run', scopes: ['run'] })).token;
  const stranger = await createUser({ email: 'stranger@approvals.test', name: 'Stranger', password: PASSWORD });
  const other = await createWorkspace({ name: 'Elsewhere', ownerId: stranger.id });
  strangerToken = (
    await createApiToken({ userId: stranger.id, workspaceId: other.id, name: 'all', scopes: ['approve'] })
  ).token;
}, 420_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await mongoose.disconnect();
  await stack?.stop();
});

const as = (token: string) => (method: string, path: string, body?: unknown) =>
  stack.api(method, path, body, { token });

/** A workflow: manual trigger → Approval → `approved` / `rejected` Set nodes; returns its id. */
async function approvalWorkflow(params: Record<string, unknown>): Promise<string> {
  const created = await stack.api('POST', '/api/workflows', {
    name: `Approvals ${Math.random().toString(36).slice(2, 8)}`,
    document: docWith(
      [
        manualNode('start'),
        anyNode('review', 'approval', {
          title: 'Offer for Dana',
          summary: 'Dana starts on Monday',
          users: [],
          groups: [],
          roles: [],
          rule: 'any',
          barStarter: true,
          barPublisher: true,
          form: [],
          deadline: 'none',
          ...params,
        }),
        setNode('yes', { branch: 'approved' }),
        setNode('no', { branch: 'rejected' }),
      ],
      [chain('start', 'review'), chain('review', 'yes', 'approved'), chain('review', 'no', 'rejected')],
    ),
  });
  if (created.status !== 201) throw new Error(`Workflow: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.workflow.id;
}

/** Starts a run as the owner and waits until its approval request is in the store. */
async function openApproval(workflowId: string, input: unknown = { name: 'Dana', salary: 5000 }) {
  const started = await stack.api('POST', '/api/runs', { workflowId, input });
  if (started.status !== 201) throw new Error(`Run: ${started.status} ${JSON.stringify(started.body)}`);
  const runId = started.body.runId as string;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found = await mongoose.connection.collection('approvals').findOne({ runId });
    if (found) return { runId, approvalId: String(found._id) };
    if (Date.now() > deadline) throw new Error(`Run ${runId} opened no approval request.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const users = (...names: Array<keyof typeof people>) => names.map((n) => ({ user: people[n].email }));

async function subscribeInbox(who: string): Promise<{ socket: Socket; events: ApprovalEvent[]; ack: SubscribeAck }> {
  const socket = connectSocket(stack.url, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { Cookie: cookies[who] },
  });
  sockets.push(socket);
  const events: ApprovalEvent[] = [];
  socket.on(APPROVAL_EVENT, (e: ApprovalEvent) => events.push(e));
  const ack = await new Promise<SubscribeAck>((resolve, reject) => {
    socket.on('connect_error', reject);
    socket.emit(SUBSCRIBE, { inboxOf: workspaceId }, resolve);
  });
  return { socket, events, ack };
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const linkPage = (token: string, form?: Record<string, string>) =>
  fetch(`${stack.url}/approvals/link/${token}`, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: form ? { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.url } : {},
    body: form ? new URLSearchParams(form) : undefined,
  });

const inAnHour = () => new Date(Date.now() + 3_600_000);

describe('a 2-of-3 approval with a form, decided through the API and an emailed link', () => {
  let runId: string;
  let approvalId: string;
  let inbox: Record<string, Awaited<ReturnType<typeof subscribeInbox>>>;

  beforeAll(async () => {
    inbox = {
      ana: await subscribeInbox('ana'),
      ben: await subscribeInbox('ben'),
      owner: await subscribeInbox('owner'),
    };
    const workflowId = await approvalWorkflow({
      users: users('ana', 'ben', 'cy'),
      rule: 'n-of-m',
      n: 2,
      form: [{ key: 'level', label: 'Level', type: 'select', options: 'junior, senior', required: true }],
    });
    ({ runId, approvalId } = await openApproval(workflowId));
  });

  test('the addressed approvers get a live event with their count; others get none; viewers may not join', async () => {
    for (const who of ['ana', 'ben'] as const) {
      expect(inbox[who].ack).toEqual({ ok: true, room: `user:${workspaceId}:${people[who].id}` });
      const event = await until(() => inbox[who].events.find((e) => e.approvalId === approvalId), `${who}'s event`);
      expect(event).toMatchObject({ workspaceId, status: 'pending', pendingCount: 1 });
    }
    expect(inbox.owner.events.filter((e) => e.approvalId === approvalId)).toEqual([]);
    const viewer = await subscribeInbox('vic');
    expect(viewer.ack.ok).toBe(false);
  });

  test('the inbox lists it for each approver, not for others; viewers are refused', async () => {
    const listed = await as(anaApprove)('GET', '/api/approvals');
    expect(listed.status).toBe(200);
    expect(listed.body.pendingCount).toBe(1);
    const item = listed.body.approvals.find((a: { id: string }) => a.id === approvalId);
    expect(item).toMatchObject({
      runId,
      title: 'Offer for Dana',
      summary: 'Dana starts on Monday',
      data: { name: 'Dana', salary: 5000 },
      you: { canDecide: true },
      progress: { approvals: 0, needed: 2, voters: 3 },
    });
    const owners = await stack.api('GET', '/api/approvals');
    expect(owners.body.approvals.map((a: { id: string }) => a.id)).not.toContain(approvalId);
    const viewer = await stack.api('GET', '/api/approvals', undefined, {
      token: null,
      headers: { Cookie: cookies.vic },
    });
    expect(viewer.status).toBe(403);
    expect((await as(anaApprove)('GET', '/api/approvals?status=maybe')).status).toBe(400);
  });

  test('refusals: no `approve` scope, another workspace, bad or huge bodies, the run’s refusals with reason', async () => {
    const decision = `/api/approvals/${approvalId}/decision`;
    const noScope = await as(anaRunOnly)('POST', decision, { decision: 'approve', form: { level: 'senior' } });
    expect(noScope.status).toBe(403);
    expect(noScope.body.error.message).toMatch(/approval\.decide/);
    expect((await as(strangerToken)('GET', `/api/approvals/${approvalId}`)).status).toBe(404);
    expect((await as(strangerToken)('POST', decision, { decision: 'approve' })).status).toBe(404);

    const badKind = await as(anaApprove)('POST', decision, { decision: 'maybe' });
    expect(badKind.status).toBe(400);
    expect(badKind.body.error.message).toMatch(/decision/);
    const unknownKey = await as(anaApprove)('POST', decision, { decision: 'approve', verdict: 'yes' });
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.error.message).toMatch(/verdict/);
    const badOption = await as(anaApprove)('POST', decision, { decision: 'approve', form: { level: 'principal' } });
    expect(badOption.status).toBe(400);
    expect(badOption.body.error).toMatchObject({ reason: 'invalid', message: expect.stringMatching(/level/) });
    const missing = await as(anaApprove)('POST', decision, { decision: 'approve' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ reason: 'invalid', message: expect.stringMatching(/level/) });
    const huge = await as(anaApprove)('POST', decision, { decision: 'approve', data: 'x'.repeat(1100 * 1024) });
    expect(huge.status).toBe(413);
    // The starter is not an approver here: the run refuses them.
    const starter = await stack.api('POST', decision, { decision: 'approve', form: { level: 'senior' } });
    expect(starter.status).toBe(403);
    expect(starter.body.error).toMatchObject({ reason: 'not-allowed', message: expect.stringMatching(/started/) });
    // Delegating to the starter (barred) or to someone who already decides it: the run refuses both.
    const delegation = `/api/approvals/${approvalId}/delegate`;
    const toStarter = await as(anaApprove)('POST', delegation, {
      to: (await stack.api('GET', '/api/me')).body.user.id,
    });
    expect([toStarter.status, toStarter.body.error.reason]).toEqual([403, 'not-allowed']);
    const toApprover = await as(anaApprove)('POST', delegation, { to: people.ben.id });
    expect([toApprover.status, toApprover.body.error.reason]).toEqual([409, 'already-approver']);
    expect(toApprover.body.error.message).toMatch(/already an approver/);
    expect((await as(anaApprove)('GET', `/api/approvals/${approvalId}`)).body.approval.decisions).toEqual([]);
  });

  test('an approve-scoped token decides, with edits; a second decision by the same person is refused', async () => {
    const decided = await as(anaApprove)('POST', `/api/approvals/${approvalId}/decision`, {
      decision: 'approve',
      comment: 'Fair offer',
      form: { level: 'senior' },
      data: { name: 'Dana', salary: 5500 },
    });
    expect(decided.status).toBe(200);
    expect(decided.body.approval).toMatchObject({
      status: 'pending',
      progress: { approvals: 1, needed: 2 },
      you: { canDecide: false, decided: 'approve' },
    });
    const again = await as(anaApprove)('POST', `/api/approvals/${approvalId}/decision`, {
      decision: 'reject',
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      reason: 'already-decided',
      message: expect.stringMatching(/already approved/),
    });

    const { entries } = await listAudit(systemScope(workspaceId), { action: 'approval.decide', target: approvalId });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: { id: people.ana.id, name: 'ANA', via: 'token' },
      target: { kind: 'approval', id: approvalId },
      change: {
        decision: 'approve',
        via: 'api',
        comment: 'Fair offer',
        form: { level: 'senior' },
        edits: [{ path: '/salary', before: 5000, after: 5500 }],
      },
    });
    expect(entries[0].ip).toBeTruthy();
    // Ana's badge went to 0 with her decision.
    await until(
      () => inbox.ana.events.find((e) => e.approvalId === approvalId && e.pendingCount === 0),
      "ana's count after deciding",
    );
  });

  test('the emailed link: GET decides nothing, POST decides once, and refused links say why', async () => {
    const benToken = approvalLinkToken(approvalId, people.ben.id, inAnHour());
    const shown = await linkPage(benToken);
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain('Offer for Dana');
    expect(html).toContain('Approve');
    expect((await as(anaApprove)('GET', `/api/approvals/${approvalId}`)).body.approval.decisions).toHaveLength(1);

    // Not an approver of this request (a valid signature for the wrong person), tampered and expired links.
    const notApprover = await linkPage(approvalLinkToken(approvalId, people.vic.id, inAnHour()), {
      decision: 'approve',
      'form.level': 'senior',
    });
    expect(notApprover.status).toBe(403);
    expect(await notApprover.text()).toMatch(/not for a current approver/);
    const [approvalPart, , expiry, signature] = benToken.split('.');
    const swapped = [approvalPart, Buffer.from(people.cy.id).toString('base64url'), expiry, signature].join('.');
    const tampered = await linkPage(swapped, { decision: 'approve', 'form.level': 'senior' });
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toMatch(/has been changed/);
    const flipped = benToken.slice(0, -2) + (benToken.endsWith('AA') ? 'BB' : 'AA');
    expect((await linkPage(flipped)).status).toBe(400);
    const expired = await linkPage(approvalLinkToken(approvalId, people.cy.id, new Date(Date.now() - 1000)), {
      decision: 'approve',
      'form.level': 'senior',
    });
    expect(expired.status).toBe(410);
    expect(await expired.text()).toMatch(/expired/);
    expect((await as(anaApprove)('GET', `/api/approvals/${approvalId}`)).body.approval.decisions).toHaveLength(1);

    const posted = await linkPage(benToken, { decision: 'approve', 'form.level': 'junior', comment: 'Ok by me' });
    expect([posted.status, await posted.text()]).toEqual([200, expect.stringMatching(/Approved\. Thank you, BEN/)]);
    const reused = await linkPage(benToken, { decision: 'reject' });
    expect(reused.status).toBe(409);
    expect(await reused.text()).toMatch(/has been used/);
    const reopened = await linkPage(benToken); // opening it again shows the decision it made
    expect(reopened.status).toBe(200);
    expect(await reopened.text()).toMatch(/has been used/);

    const run = await waitForRunStatus(stack, runId);
    expect(run.status).toBe('succeeded');
    const steps = (await stack.api('GET', `/api/runs/${runId}/steps`)).body.steps as Array<{
      nodeId: string;
      status: string;
    }>;
    const ran = steps.filter((s) => s.status !== 'skipped').map((s) => s.nodeId);
    expect(ran).toContain('yes');
    expect(ran).not.toContain('no');

    const { entries } = await listAudit(systemScope(workspaceId), { action: 'approval.decide', target: approvalId });
    expect(entries.map((e) => [e.actor.id, e.change?.via])).toEqual([
      [people.ben.id, 'link'],
      [people.ana.id, 'api'],
    ]);
    const detail = await as(anaApprove)('GET', `/api/approvals/${approvalId}`);
    expect(detail.body.approval.status).toBe('approved');
    expect(detail.body.trail.map((t: { kind: string }) => t.kind)).toEqual(['opened', 'decided', 'decided', 'closed']);
    const late = await as(anaApprove)('POST', `/api/approvals/${approvalId}/decision`, { decision: 'reject' });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ reason: 'closed', message: expect.stringMatching(/is closed/) });
  });
});

test('bulk decide: one decision for several requests, each with its own outcome', async () => {
  const workflowId = await approvalWorkflow({ users: users('ana') });
  const first = await openApproval(workflowId);
  const second = await openApproval(workflowId);
  const res = await as(anaApprove)('POST', '/api/approvals/decisions', {
    ids: [first.approvalId, second.approvalId, 'apr_no_such_request'],
    decision: 'reject',
    comment: 'Budget freeze',
  });
  expect(res.status).toBe(200);
  expect(res.body.results).toEqual([
    { id: first.approvalId, ok: true, status: 'rejected' },
    { id: second.approvalId, ok: true, status: 'rejected' },
    { id: 'apr_no_such_request', ok: false, status: 404, error: expect.stringMatching(/does not exist/) },
  ]);
  for (const { runId } of [first, second]) {
    const steps = (await (async () => {
      await waitForRunStatus(stack, runId);
      return (await stack.api('GET', `/api/runs/${runId}/steps`)).body.steps;
    })()) as Array<{ nodeId: string }>;
    expect(steps.map((s) => s.nodeId)).toContain('no');
  }
  const again = await as(anaApprove)('POST', '/api/approvals/decisions', {
    ids: [first.approvalId],
    decision: 'approve',
  });
  expect(again.body.results).toEqual([
    { id: first.approvalId, ok: false, status: 409, reason: 'closed', error: expect.stringMatching(/is closed/) },
  ]);
  expect((await as(anaApprove)('POST', '/api/approvals/decisions', { ids: [] })).status).toBe(400);
});

test('delegation hands the say to another member, and is audited', async () => {
  const workflowId = await approvalWorkflow({ users: users('ana') });
  const { runId, approvalId } = await openApproval(workflowId);
  const handed = await as(anaApprove)('POST', `/api/approvals/${approvalId}/delegate`, { to: people.cy.id });
  expect(handed.status).toBe(200);
  expect(handed.body.approval.you.canDecide).toBe(false);
  const mine = await as(anaApprove)('POST', `/api/approvals/${approvalId}/decision`, { decision: 'approve' });
  expect(mine.status).toBe(403);
  const cy = await stack.api(
    'POST',
    `/api/approvals/${approvalId}/decision`,
    { decision: 'approve' },
    { token: null, headers: { Cookie: cookies.cy, Origin: stack.url } },
  );
  expect(cy.status).toBe(200);
  expect(cy.body.approval.status).toBe('approved');
  expect((await waitForRunStatus(stack, runId)).status).toBe('succeeded');
  const { entries } = await listAudit(systemScope(workspaceId), { target: approvalId });
  expect(entries.map((e) => [e.action, e.actor.id])).toEqual([
    ['approval.decide', people.cy.id],
    ['approval.delegate', people.ana.id],
  ]);
  expect(entries[0].change).toMatchObject({ via: 'inbox' });
});

test('pages: the inbox and the approval page by role, another workspace’s approval is a 404', async () => {
  const workflowId = await approvalWorkflow({ users: users('ana') });
  const { approvalId } = await openApproval(workflowId);
  const get = (path: string, cookie: string) =>
    fetch(`${stack.url}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' });
  const inbox = await get('/inbox', cookies.ana);
  expect(inbox.status).toBe(200);
  expect(await inbox.text()).toContain('Offer for Dana');
  expect((await get('/inbox', cookies.vic)).status).toBe(403);
  expect((await get(`/approvals/${approvalId}`, cookies.vic)).status).toBe(200);
  const strangerCookie = await signIn('stranger@approvals.test');
  expect((await get(`/approvals/${approvalId}`, strangerCookie)).status).toBe(404);
});
