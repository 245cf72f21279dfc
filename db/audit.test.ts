// The audit trail against the real FerretDB: filters, pages, workspace isolation, the instance view, secrets kept
// out of entries, the indexes, and that nothing in the app can change or prune an entry (the module exports no
// writer but recordAudit, and run retention leaves the log whole).
import mongoose from 'mongoose';
import { testDatabaseUri } from '../test/stack';
import * as audit from './audit';
import {
  decodeAuditCursor,
  encodeAuditCursor,
  instanceAuditScope,
  listAudit,
  recordAudit,
  scrubChange,
  streamAudit,
  type AuditEntry,
  type AuditFilter,
  type AuditView,
} from './audit';
import { connectDb, disconnectDb } from './connection';
import { pruneRuns, purgeWorkflow } from './retention';
import { getRunUnscoped, setRunStatus } from './runs';
import { archiveWorkflow, createWorkflow, getWorkflowUnscoped } from './workflows';
import { systemScope } from './workspaces';

const HR = systemScope('ws_hr');
const IT = systemScope('ws_it');
const CANARY = 'canary-7f3a9c1e-never-stored';

const log = () => mongoose.connection.db!.collection('audit_log');

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_audit'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
});

afterAll(async () => {
  await disconnectDb();
});

/** Fixture entries at chosen times, written straight to the collection (recordAudit stamps the current time). */
async function seed(entries: Array<Partial<AuditEntry> & { id: string; at: Date; action: AuditEntry['action'] }>) {
  await log().insertMany(
    entries.map(({ id, ...rest }) => ({ _id: id, actor: { id: 'u_alice', name: 'Alice Admin' }, ...rest })) as never[],
  );
}

const ids = async (view: AuditView, filter: AuditFilter = {}) =>
  (await listAudit(view, filter, { limit: 200 })).entries.map((e) => e.id);

const day = (d: string, time = '12:00:00') => new Date(`${d}T${time}Z`);

describe('append-only', () => {
  test('the module exports reads and recordAudit, and nothing that updates or deletes an entry', () => {
    const names = Object.keys(audit);
    expect(names).toContain('recordAudit');
    expect(
      names.filter((name) => /update|delete|remove|purge|clear|drop|prune|replace|set|edit|model/i.test(name)),
    ).toEqual([]);
    for (const [name, value] of Object.entries(audit)) {
      const writer = ['deleteOne', 'deleteMany', 'updateOne', 'updateMany', 'replaceOne', 'collection'].find(
        (method) => value !== null && (typeof value === 'function' || typeof value === 'object') && method in value,
      );
      expect({ name, writer }).toEqual({ name, writer: undefined });
    }
  });

  test('run retention and purging a deleted workflow leave its audit trail whole', async () => {
    const scope = systemScope('ws_retention');
    const workflow = await createWorkflow(scope, { name: 'Payroll sync', ownerId: 'u_alice' });
    const runId = `run_audit_retention_${Date.now()}`;
    const longAgo = new Date(Date.now() - 10 * 86_400_000);
    await setRunStatus(runId, 'succeeded', { workflowId: workflow.id, planHash: 'h-audit', at: longAgo });
    await recordAudit({
      workspaceId: scope.workspaceId,
      actor: { id: 'u_alice' },
      action: 'run.start',
      target: { kind: 'run', id: runId },
    });
    await recordAudit({
      workspaceId: scope.workspaceId,
      actor: { id: 'u_alice' },
      action: 'workflow.delete',
      target: { kind: 'workflow', id: workflow.id, name: workflow.name },
    });

    await pruneRuns({ defaults: { days: 1 } });
    expect(await getRunUnscoped(runId)).toBeUndefined();
    expect(await archiveWorkflow(scope, workflow.id, { purgeRuns: true })).toBe(true);
    expect((await purgeWorkflow(workflow.id)).done).toBe(true);
    expect(await getWorkflowUnscoped(workflow.id)).toBeUndefined();

    expect((await listAudit(scope)).entries.map((e) => e.action).sort()).toEqual(['run.start', 'workflow.delete']);
  });

  test('the list query has its index, and no index expires entries', async () => {
    const indexes = await log().indexes();
    const keys = indexes.map((index) => JSON.stringify(index.key));
    expect(keys).toEqual(
      expect.arrayContaining([
        JSON.stringify({ workspaceId: 1, at: -1, _id: -1 }),
        JSON.stringify({ workspaceId: 1, action: 1, at: -1 }),
        JSON.stringify({ workspaceId: 1, 'actor.id': 1, at: -1 }),
        JSON.stringify({ workspaceId: 1, 'target.id': 1, at: -1 }),
      ]),
    );
    expect(indexes.filter((index) => index.expireAfterSeconds !== undefined)).toEqual([]);
  });
});

describe('secrets never reach an entry', () => {
  test('scrubChange omits secret keys, secret name/value pairs, credential-looking values and URL passwords', () => {
    const change = {
      name: 'BambooHR',
      password: CANARY,
      fields: { apiKey: CANARY, subdomain: 'acme', nested: { deeper: { client_secret: CANARY } } },
      request: { headers: { Authorization: `Bearer ${CANARY}`, Accept: 'application/json', Cookie: CANARY } },
      headerList: [
        { name: 'X-Api-Key', value: CANARY },
        { key: 'authorization', value: CANARY },
        { name: 'Accept', value: 'text/plain' },
      ],
      note: `Bearer ${CANARY}`,
      basic: `Basic ${CANARY}`,
      issued: `baton_${CANARY}`,
      url: `https://svc:${CANARY}@api.example.com/v1`,
      token: { id: 'tok_1', plaintext: CANARY },
      scopes: ['read', 'run'],
    };
    const scrubbed = scrubChange(change) as typeof change;
    expect(JSON.stringify(scrubbed)).not.toContain(CANARY);
    expect(scrubbed).toMatchObject({
      name: 'BambooHR',
      password: '[omitted]',
      fields: { apiKey: '[omitted]', subdomain: 'acme', nested: { deeper: { client_secret: '[omitted]' } } },
      request: { headers: { Authorization: '[omitted]', Accept: 'application/json', Cookie: '[omitted]' } },
      headerList: [
        { name: 'X-Api-Key', value: '[omitted]' },
        { key: 'authorization', value: '[omitted]' },
        { name: 'Accept', value: 'text/plain' },
      ],
      note: '[omitted]',
      basic: '[omitted]',
      issued: '[omitted]',
      url: 'https://svc:[omitted]@api.example.com/v1',
      token: '[omitted]',
      scopes: ['read', 'run'],
    });
  });

  test('recordAudit stores the scrubbed change: the raw document holds no secret', async () => {
    await recordAudit({
      workspaceId: HR.workspaceId,
      actor: { id: 'u_alice', name: 'Alice Admin', via: 'session' },
      action: 'credential.update',
      target: { kind: 'credential', id: 'cred_1', name: 'SMTP' },
      ip: '203.0.113.9',
      change: { host: 'smtp.example.com', secrets: { password: CANARY }, headers: { authorization: CANARY } },
    });
    const raw = await log().findOne({ action: 'credential.update', 'target.id': 'cred_1' });
    expect(raw).toMatchObject({ workspaceId: 'ws_hr', ip: '203.0.113.9', change: { host: 'smtp.example.com' } });
    expect(JSON.stringify(raw)).not.toContain(CANARY);
  });
});

describe('listing', () => {
  beforeAll(async () => {
    await seed([
      {
        id: 'aud_f1',
        workspaceId: 'ws_f',
        at: day('2025-03-01', '08:00:00'),
        action: 'auth.sign-in',
        actor: { id: 'u_alice', name: 'Alice Admin' },
      },
      {
        id: 'aud_f2',
        workspaceId: 'ws_f',
        at: day('2025-03-02', '09:00:00'),
        action: 'workflow.publish',
        target: { kind: 'workflow', id: 'wf_payroll', name: 'Payroll sync' },
      },
      {
        id: 'aud_f3',
        workspaceId: 'ws_f',
        at: day('2025-03-03', '23:59:59'),
        action: 'member.role-change',
        actor: { id: 'u_bob', name: 'Bob Builder' },
        target: { kind: 'user', id: 'u_carol', name: 'Carol' },
      },
      {
        id: 'aud_f4',
        workspaceId: 'ws_f',
        at: day('2025-03-04', '00:00:00'),
        action: 'workflow.publish',
        actor: { id: 'u_bob', name: 'Bob Builder' },
        target: { kind: 'workflow', id: 'wf_onboard', name: 'Onboarding' },
      },
      { id: 'aud_x1', workspaceId: 'ws_other', at: day('2025-03-02'), action: 'workflow.publish' },
      {
        id: 'aud_n1',
        at: day('2025-03-02'),
        action: 'auth.sign-in-failed',
        actor: { id: 'anonymous', name: 'a@x.io' },
      },
      {
        id: 'aud_n2',
        workspaceId: null,
        at: day('2025-03-03'),
        action: 'auth.sign-in-failed',
        actor: { id: 'anonymous', name: 'b@x.io' },
      } as never,
    ]);
  });

  const F = systemScope('ws_f');

  test('a workspace lists its own entries newest first, never another workspace’s or those without one', async () => {
    expect(await ids(F)).toEqual(['aud_f4', 'aud_f3', 'aud_f2', 'aud_f1']);
    expect(await ids(systemScope('ws_other'))).toEqual(['aud_x1']);
    const streamed: string[] = [];
    for await (const entry of streamAudit(F)) streamed.push(entry.id);
    expect(streamed).toEqual(['aud_f4', 'aud_f3', 'aud_f2', 'aud_f1']);
  });

  test('filters: action, actor by id or part of the name, target by id or part of the name', async () => {
    expect(await ids(F, { action: 'workflow.publish' })).toEqual(['aud_f4', 'aud_f2']);
    expect(await ids(F, { actor: 'u_bob' })).toEqual(['aud_f4', 'aud_f3']);
    expect(await ids(F, { actor: 'alice' })).toEqual(['aud_f2', 'aud_f1']);
    expect(await ids(F, { actor: 'u_bo' })).toEqual([]);
    expect(await ids(F, { target: 'wf_payroll' })).toEqual(['aud_f2']);
    expect(await ids(F, { target: 'onBOARD' })).toEqual(['aud_f4']);
    // Regex characters are matched as typed.
    expect(await ids(F, { actor: '.*' })).toEqual([]);
    expect(await ids(F, { action: 'workflow.publish', actor: 'Bob' })).toEqual(['aud_f4']);
  });

  test('date range: from is inclusive, until exclusive', async () => {
    expect(await ids(F, { from: day('2025-03-02', '00:00:00'), until: day('2025-03-04', '00:00:00') })).toEqual([
      'aud_f3',
      'aud_f2',
    ]);
    expect(await ids(F, { from: day('2025-03-04', '00:00:00') })).toEqual(['aud_f4']);
    expect(await ids(F, { until: day('2025-03-01', '08:00:00') })).toEqual([]);
  });

  test('the instance view lists only the entries without a workspace, and only the instance owner gets it', async () => {
    const owner = instanceAuditScope({ id: 'u_owner', role: 'owner' })!;
    expect(await ids(owner)).toEqual(['aud_n2', 'aud_n1']);
    expect(instanceAuditScope({ id: 'u_member', role: 'member' })).toBeUndefined();
  });
});

describe('paging', () => {
  const P = systemScope('ws_paging');
  beforeAll(async () => {
    // Seven entries, three sharing one instant: the cursor must order ties by id and skip none.
    const same = day('2025-05-05');
    await seed([
      { id: 'aud_p1', workspaceId: 'ws_paging', at: day('2025-05-01'), action: 'run.start' },
      { id: 'aud_p2', workspaceId: 'ws_paging', at: day('2025-05-02'), action: 'run.start' },
      { id: 'aud_p3', workspaceId: 'ws_paging', at: same, action: 'run.start' },
      { id: 'aud_p4', workspaceId: 'ws_paging', at: same, action: 'run.cancel' },
      { id: 'aud_p5', workspaceId: 'ws_paging', at: same, action: 'run.start' },
      { id: 'aud_p6', workspaceId: 'ws_paging', at: day('2025-05-06'), action: 'run.start' },
      { id: 'aud_p7', workspaceId: 'ws_paging', at: day('2025-05-07'), action: 'run.start' },
    ]);
  });

  test('pages of three walk every entry once, newest first, and the last page has no next cursor', async () => {
    const pages: string[][] = [];
    let after: ReturnType<typeof decodeAuditCursor>;
    for (;;) {
      const page = await listAudit(P, {}, { limit: 3, after });
      pages.push(page.entries.map((e) => e.id));
      if (!page.next) break;
      after = decodeAuditCursor(page.next);
    }
    expect(pages).toEqual([['aud_p7', 'aud_p6', 'aud_p5'], ['aud_p4', 'aud_p3', 'aud_p2'], ['aud_p1']]);
  });

  test('a page keeps its filter', async () => {
    const first = await listAudit(P, { action: 'run.start' }, { limit: 4 });
    expect(first.entries.map((e) => e.id)).toEqual(['aud_p7', 'aud_p6', 'aud_p5', 'aud_p3']);
    const second = await listAudit(P, { action: 'run.start' }, { limit: 4, after: decodeAuditCursor(first.next!) });
    expect(second).toEqual({
      entries: [expect.objectContaining({ id: 'aud_p2' }), expect.objectContaining({ id: 'aud_p1' })],
    });
  });

  test('a cursor round-trips; anything else is not a cursor', () => {
    const cursor = { at: day('2025-05-05'), id: 'aud_p4' };
    expect(decodeAuditCursor(encodeAuditCursor(cursor))).toEqual(cursor);
    for (const bad of [
      '',
      'garbage',
      Buffer.from('not-a-date|aud_x').toString('base64url'),
      Buffer.from(`${cursor.at.toISOString()}|{"$gt":""}`).toString('base64url'),
    ])
      expect(decodeAuditCursor(bad)).toBeUndefined();
  });
});

test('two workspaces never see each other’s recorded entries', async () => {
  await recordAudit({ workspaceId: IT.workspaceId, actor: { id: 'u_it' }, action: 'token.create' });
  await recordAudit({ workspaceId: HR.workspaceId, actor: { id: 'u_hr' }, action: 'member.invite' });
  expect((await listAudit(IT)).entries.map((e) => e.actor.id)).toEqual(['u_it']);
  expect((await listAudit(HR, { actor: 'u_it' })).entries).toEqual([]);
  expect((await listAudit(HR, { action: 'member.invite' })).entries.map((e) => e.actor.id)).toEqual(['u_hr']);
});
