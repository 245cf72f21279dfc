// Run records against the real FerretDB: a run belongs to a workspace, and scoped reads and lists of another
// workspace find nothing of it; the engine's unscoped read and the status upsert of a scheduled run keep working.
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from './connection';
import {
  backfillRunBuckets,
  createRun,
  getRun,
  getRunUnscoped,
  getStoredRun,
  listChildRuns,
  listRuns,
  setRunAwaiting,
  setRunStatus,
  workspaceOfRun,
} from './runs';
import { systemScope } from './workspaces';
import { testDatabaseUri } from '../test/stack';

const mine = systemScope('ws_mine');
const theirs = systemScope('ws_theirs');

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_runs'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
});

afterAll(async () => {
  await disconnectDb();
});

const start = (runId: string, workspaceId: string, extra: { parentRunId?: string } = {}) =>
  createRun({ runId, workspaceId, workflowId: 'wf-1', planHash: 'p', trigger: {}, mode: 'manual', ...extra });

test('scoped reads and lists of another workspace do not find a run; its own workspace does', async () => {
  await start('run-a', 'ws_mine');
  await start('run-a-child', 'ws_mine', { parentRunId: 'run-a' });
  await start('run-b', 'ws_theirs');
  expect(await getRun(mine, 'run-a')).toMatchObject({ runId: 'run-a', workspaceId: 'ws_mine' });
  expect(await getRun(theirs, 'run-a')).toBeUndefined();
  expect(await getStoredRun(theirs, 'run-a')).toBeUndefined();
  expect((await listRuns(mine)).map((r) => r.runId).sort()).toEqual(['run-a', 'run-a-child']);
  expect((await listRuns(theirs, { workflowId: 'wf-1' })).map((r) => r.runId)).toEqual(['run-b']);
  expect((await listChildRuns(mine, 'run-a')).map((r) => r.runId)).toEqual(['run-a-child']);
  expect(await listChildRuns(theirs, 'run-a')).toEqual([]);
  expect(await getRunUnscoped('run-b')).toMatchObject({ workspaceId: 'ws_theirs' });
  expect(await workspaceOfRun('run-b')).toBe('ws_theirs');
  expect(await workspaceOfRun('run-none')).toBeUndefined();
});

test('a run recorded by its first status (a scheduled run) takes the workspace it is given', async () => {
  await setRunStatus('run-sched', 'running', { workspaceId: 'ws_theirs', workflowId: 'wf-2', planHash: 'p' });
  await setRunStatus('run-sched', 'succeeded', { workspaceId: 'ws_mine', workflowId: 'wf-2', planHash: 'p' });
  expect(await getRun(theirs, 'run-sched')).toMatchObject({ status: 'succeeded', workspaceId: 'ws_theirs' });
});

test('a running run is marked as awaiting approval and unmarked; a finished run drops the mark and takes no new one', async () => {
  await start('run-wait', 'ws_mine');
  await setRunStatus('run-wait', 'running');
  await setRunAwaiting('run-wait', 'approval');
  expect(await getRun(mine, 'run-wait')).toMatchObject({ status: 'running', awaiting: 'approval' });
  await setRunAwaiting('run-wait', undefined);
  expect((await getRun(mine, 'run-wait'))?.awaiting).toBeUndefined();
  await setRunAwaiting('run-wait', 'approval');
  await setRunStatus('run-wait', 'cancelled');
  expect((await getRun(mine, 'run-wait'))?.awaiting).toBeUndefined();
  await setRunAwaiting('run-wait', 'approval');
  expect((await getRun(mine, 'run-wait'))?.awaiting).toBeUndefined();
  await setRunAwaiting('run-never-recorded', 'approval');
  expect(await getRunUnscoped('run-never-recorded')).toBeUndefined();
});

test('runs recorded without start buckets get them once, and the list then finds them', async () => {
  const startedAt = new Date(Date.now() - 3_600_000);
  await mongoose.connection.db!.collection('runs').insertOne({
    _id: 'run-legacy' as never,
    runId: 'run-legacy',
    workspaceId: 'ws_legacy',
    workflowId: 'wf-old',
    planHash: 'p',
    status: 'succeeded',
    mode: 'manual',
    startedAt,
  });
  const legacy = systemScope('ws_legacy');
  expect(await listRuns(legacy)).toEqual([]);
  expect(await backfillRunBuckets()).toBeGreaterThanOrEqual(1);
  expect((await listRuns(legacy)).map((r) => r.runId)).toEqual(['run-legacy']);
  expect(await backfillRunBuckets()).toBe(0);
});
