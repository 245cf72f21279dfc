// What a workspace's and a run's browser data leave behind (docs/decisions/059, 060), against the real FerretDB:
// deleting a workspace's saved sessions and takeover tasks touches no other workspace's; retention deleting a run
// deletes its takeover tasks, and keeps those of runs it keeps; a session limited to named workflows refuses the
// others, on load and on save, with an error naming the session and the workflow; housekeeping closes a dead
// attempt's task once its deadline has long passed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import type { TakeoverTask } from '../contracts/browser-takeover';
import type { BrowserStorageState } from '../nodes/define';
import { testDatabaseUri } from '../test/stack';
import {
  BrowserSessionError,
  deleteBrowserSessionsOfWorkspace,
  listBrowserSessions,
  loadBrowserSession,
  MAX_BROWSER_SESSION_INDEXEDDB_BYTES,
  runBrowserSessions,
  saveBrowserSession,
  setBrowserSessionWorkflows,
} from './browser-sessions';
import {
  closeAbandonedTakeovers,
  deleteTakeoversOfWorkspace,
  newTakeoverId,
  openTakeover,
  takeoversOfRun,
  takeoverStatus,
} from './browser-takeovers';
import { connectDb, disconnectDb } from './connection';
import { pruneRuns } from './retention';
import { recordFinishedRun } from './runs';
import { ENCRYPTION_KEY_ENV } from './vault-key';
import { createWorkflow } from './workflows';
import { systemScope } from './workspaces';

const savedHome = process.env.BATON_HOME;
const savedKey = process.env[ENCRYPTION_KEY_ENV];
let home: string;
const GONE = systemScope('ws_cleanup_gone');
const KEPT = systemScope('ws_cleanup_kept');
const DAY = 86_400_000;

const state = (cookie: string): BrowserStorageState => ({
  cookies: [
    {
      name: 'sid',
      value: cookie,
      domain: 'a.test',
      path: '/',
      expires: -1,
      httpOnly: true,
      secure: false,
      sameSite: 'Lax',
    },
  ],
  origins: [],
});

function task(workspaceId: string, runId: string): TakeoverTask {
  const now = new Date();
  return {
    id: newTakeoverId(),
    workspaceId,
    workflowId: 'wf_cleanup',
    workflowName: 'Cleanup',
    runId,
    nodeId: 'browse',
    nodeName: 'Browse',
    step: 'Step 1 (click text=Go)',
    reason: 'Timeout',
    url: 'http://a.test/',
    eligible: ['usr_owner'],
    from: ['role owner'],
    status: 'open',
    attempt: 1,
    createdAt: now.toISOString(),
    deadlineAt: new Date(now.getTime() + 60_000).toISOString(),
  };
}

async function open(workspaceId: string, runId: string): Promise<TakeoverTask> {
  const t = task(workspaceId, runId);
  await openTakeover({ task: t, stepKey: `${runId}:browse:0`, relay: { url: 'http://127.0.0.1:1', token: 'tok' } });
  return t;
}

const count = (collection: string, filter: Record<string, unknown>) =>
  mongoose.connection.db!.collection(collection).countDocuments(filter);

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'baton-browser-cleanup-'));
  process.env.BATON_HOME = home;
  delete process.env[ENCRYPTION_KEY_ENV];
  await connectDb(testDatabaseUri('baton_test_browser_cleanup'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
});

afterAll(async () => {
  await disconnectDb();
  rmSync(home, { recursive: true, force: true });
  process.env.BATON_HOME = savedHome;
  if (savedKey === undefined) delete process.env[ENCRYPTION_KEY_ENV];
  else process.env[ENCRYPTION_KEY_ENV] = savedKey;
});

test('deleting a workspace’s browser data removes its sessions and takeover tasks, and no other workspace’s', async () => {
  const saver = { workflowId: 'wf_x', runId: 'run_x', nodeId: 'browse' };
  for (const scope of [GONE, KEPT]) {
    await saveBrowserSession(scope.workspaceId, 'crm', state(`c-${scope.workspaceId}`), saver);
    await saveBrowserSession(scope.workspaceId, 'mail', state(`m-${scope.workspaceId}`), saver, {
      expiresAt: new Date(Date.now() - 1000), // expired ones go too
    });
  }
  const gone = await open(GONE.workspaceId, 'run_gone');
  const kept = await open(KEPT.workspaceId, 'run_kept');

  expect(await deleteBrowserSessionsOfWorkspace(GONE.workspaceId)).toBe(2);
  expect(await deleteTakeoversOfWorkspace(GONE.workspaceId)).toBe(1);

  expect(await count('browser_sessions', { workspaceId: GONE.workspaceId })).toBe(0);
  expect(await takeoverStatus(gone.id)).toBeUndefined();
  expect((await listBrowserSessions(KEPT)).map((s) => s.name)).toEqual(['crm']);
  expect(await count('browser_sessions', { workspaceId: KEPT.workspaceId })).toBe(2);
  expect((await takeoverStatus(kept.id))?.status).toBe('open');
});

test('retention deletes the takeover tasks of the runs it deletes, and keeps those of the runs it keeps', async () => {
  const now = Date.now();
  const finished = (runId: string, endedAt: number) =>
    recordFinishedRun({
      runId,
      workspaceId: KEPT.workspaceId,
      workflowId: 'wf_retention_takeovers',
      planHash: 'plan_retention_takeovers',
      trigger: 'null',
      mode: 'manual',
      status: 'failed',
      startedAt: new Date(endedAt - 1000),
      endedAt: new Date(endedAt),
    });
  await finished('run_old', now - 10 * DAY);
  await finished('run_new', now);
  const old = [await open(KEPT.workspaceId, 'run_old'), await open(KEPT.workspaceId, 'run_old')];
  const recent = await open(KEPT.workspaceId, 'run_new');
  // The second task of the old run superseded the first: both are the run's, and both go.
  expect((await takeoversOfRun('run_old')).map((t) => t.status)).toEqual(['superseded', 'open']);

  const counts = await pruneRuns({ defaults: { days: 5 } });
  expect(counts.runs).toBe(1);
  expect(await takeoversOfRun('run_old')).toEqual([]);
  for (const t of old) expect(await takeoverStatus(t.id)).toBeUndefined();
  expect((await takeoversOfRun('run_new')).map((t) => t.id)).toEqual([recent.id]);
});

test('a session limited to named workflows refuses another workflow’s run on load and save, naming both', async () => {
  const scope = systemScope('ws_cleanup_limits');
  const [billing, reports, other] = await Promise.all(
    ['Billing', 'Reports', 'Scraper'].map((name) => createWorkflow(scope, { name, ownerId: 'owner' })),
  );
  const foreign = await createWorkflow(KEPT, { name: 'Elsewhere', ownerId: 'owner' });
  await saveBrowserSession(scope.workspaceId, 'portal', state('limited'), {
    workflowId: billing.id,
    runId: 'run_1',
    nodeId: 'browse',
  });

  await expect(setBrowserSessionWorkflows(scope, 'portal', [billing.id, foreign.id])).rejects.toThrow(
    /allowedWorkflowIds: .* is not a workflow of this workspace/,
  );
  expect(await setBrowserSessionWorkflows(scope, 'nothing', [billing.id])).toBeUndefined();
  const limited = await setBrowserSessionWorkflows(scope, 'portal', [billing.id, reports.id, billing.id]);
  expect(limited?.allowedWorkflowIds).toEqual([billing.id, reports.id]);

  const asRun = (workflowId: string) => runBrowserSessions({ workflowId, runId: 'run_2', nodeId: 'browse' });
  expect((await asRun(reports.id).load('portal'))?.cookies[0].value).toBe('limited');
  const refused = asRun(other.id).load('portal');
  await expect(refused).rejects.toMatchObject({ code: 'browser-session', retryable: false });
  await expect(refused).rejects.toThrow(
    `Session: Browser session "portal" is limited to 2 other workflows; workflow "Scraper" (${other.id}) may not use it`,
  );
  // Nor may it replace the session, and a run's save keeps the list people set.
  await expect(asRun(other.id).save('portal', state('hijacked'))).rejects.toThrow(/"Scraper".* may not use it/);
  await asRun(billing.id).save('portal', state('renewed'));
  expect((await listBrowserSessions(scope))[0].allowedWorkflowIds).toEqual([billing.id, reports.id]);
  expect((await loadBrowserSession(scope.workspaceId, 'portal', new Date(), billing.id))?.cookies[0].value).toBe(
    'renewed',
  );

  // Emptied, the session is open to every workflow of the workspace again.
  await setBrowserSessionWorkflows(scope, 'portal', []);
  expect((await asRun(other.id).load('portal'))?.cookies[0].value).toBe('renewed');
});

test('IndexedDB is sealed with the rest, old sessions without it still load, and too much of it is refused', async () => {
  const saver = { workflowId: 'wf_x', runId: 'run_x', nodeId: 'browse' };
  const withDb: BrowserStorageState = {
    ...state('idb'),
    origins: [
      {
        origin: 'http://a.test',
        localStorage: [],
        indexedDB: [
          { name: 'auth', version: 1, stores: [{ name: 'tokens', records: [{ key: 'k', value: 'idb-canary' }] }] },
        ],
      },
    ],
  };
  const view = await saveBrowserSession(KEPT.workspaceId, 'idb', withDb, saver);
  expect(view.indexedDbOrigins).toBe(1);
  expect((await loadBrowserSession(KEPT.workspaceId, 'idb'))?.origins[0].indexedDB).toEqual(
    withDb.origins[0].indexedDB,
  );
  const stored = await mongoose.connection.db!.collection('browser_sessions').find({}).toArray();
  expect(mongoose.mongo.BSON.EJSON.stringify(stored)).not.toContain('idb-canary');

  // A session saved before IndexedDB and the workflow list were kept: no such fields at all.
  await mongoose.connection
    .db!.collection('browser_sessions')
    .updateOne({ _id: view.id } as never, { $unset: { indexedDbOrigins: '', allowedWorkflowIds: '' } });
  expect((await loadBrowserSession(KEPT.workspaceId, 'idb', new Date(), 'wf_any'))?.cookies[0].value).toBe('idb');
  expect((await listBrowserSessions(KEPT)).find((s) => s.name === 'idb')).toMatchObject({
    allowedWorkflowIds: [],
    indexedDbOrigins: 0,
  });

  const big = 'x'.repeat(MAX_BROWSER_SESSION_INDEXEDDB_BYTES);
  const tooMuch: BrowserStorageState = {
    ...state('big'),
    origins: [{ origin: 'http://big.test', localStorage: [], indexedDB: [{ name: 'cache', blob: big }] }],
  };
  const refused = saveBrowserSession(KEPT.workspaceId, 'big', tooMuch, saver);
  await expect(refused).rejects.toBeInstanceOf(BrowserSessionError);
  await expect(refused).rejects.toThrow(
    /^Browser session "big" holds 2\.0 MB of IndexedDB \(http:\/\/big\.test: 2\.0 MB\); at most 2 MB of IndexedDB/,
  );
  expect(await count('browser_sessions', { name: 'big' })).toBe(0);
});

test('housekeeping closes open tasks long past their deadline as timed out, and no other', async () => {
  const abandoned = await open(KEPT.workspaceId, 'run_abandoned');
  const waiting = await open(KEPT.workspaceId, 'run_waiting');
  const deadline = Date.parse(abandoned.deadlineAt);
  // Within the grace after the deadline the attempt may still be closing it itself.
  expect(await closeAbandonedTakeovers(new Date(deadline + 60_000), 5 * 60_000)).toEqual([]);
  const later = new Date(deadline + 6 * 60_000);
  const closed = await closeAbandonedTakeovers(later, 5 * 60_000);
  expect(closed.map((t) => t.id)).toEqual(expect.arrayContaining([abandoned.id, waiting.id]));
  expect((await takeoverStatus(abandoned.id))?.status).toBe('timed-out');

  const fresh = await open(KEPT.workspaceId, 'run_fresh');
  expect(await closeAbandonedTakeovers(new Date(), 5 * 60_000)).toEqual([]);
  expect((await takeoverStatus(fresh.id))?.status).toBe('open');
});
