// Retention deletes finished runs past their limits with everything they own, and leaves nothing behind:
// real runs (a worker process, Temporal, the Mongo-protocol server) write large outputs to GridFS, steps to
// both step collections and live events; after pruning, every collection is counted for leftovers.
import mongoose from 'mongoose';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';
import { savePlan } from './plans';
import { pruneRuns, purgeWorkflow, retentionDefaults } from './retention';
import { getRunUnscoped, setRunStatus } from './runs';
import { archiveIdleSteps } from './steps';
import { archiveWorkflow, createWorkflow, getWorkflow, publishVersion, setWorkflowRetention } from './workflows';
import { systemScope } from './workspaces';

const TEST_SCOPE = systemScope('ws_test');

let h: RunHarness;

beforeAll(async () => {
  h = await startRunHarness('retention');
  await h.startWorker({ queues: ['default'] });
}, 180_000);

afterAll(async () => {
  await h?.close();
});

const db = () => mongoose.connection.db!;
const DAY = 86_400_000;

/** Start → Big (a 300 KB output, stored in GridFS) → Small; its plan is pinned by every run of it. */
function bigPlan(workflowId: string) {
  return compileOrThrow(
    workflowDoc(
      [
        { id: 'Start', type: 'manual-trigger' },
        { id: 'Big', type: 'code', params: { code: 'return { text: "x".repeat(300000) };' } },
        { id: 'Small', type: 'code', params: { code: 'return { length: input.text.length };' } },
      ],
      [
        ['Start', 'Big'],
        ['Big', 'Small'],
      ],
    ),
    workflowId,
  );
}

async function runsOf(workflowId: string, count: number): Promise<string[]> {
  const plan = bigPlan(workflowId);
  await savePlan(plan);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { runId, result } = await h.run(plan);
    expect(result.status).toBe('succeeded');
    ids.push(runId);
  }
  return ids;
}

/** Everything stored for these runs, collection by collection. */
async function leftovers(runIds: string[]) {
  const byRun = { runId: { $in: runIds } };
  const files = await db()
    .collection('blobs.files')
    .find({ 'metadata.runId': { $in: runIds } })
    .toArray();
  return {
    runs: await db()
      .collection<{ _id: string }>('runs')
      .countDocuments({ _id: { $in: runIds } }),
    activeRuns: await db()
      .collection<{ _id: string }>('active_runs')
      .countDocuments({ _id: { $in: runIds } }),
    liveSteps: await db().collection('steps_live').countDocuments(byRun),
    archivedSteps: await db().collection('steps').countDocuments(byRun),
    events: await db().collection('events').countDocuments(byRun),
    blobFiles: files.length,
  };
}

/** Chunks whose file document is gone: what deleting files before chunks would leave. */
async function orphanChunks(): Promise<number> {
  const fileIds = (
    await db()
      .collection('blobs.files')
      .find({}, { projection: { _id: 1 } })
      .toArray()
  ).map((f) => f._id);
  return db()
    .collection('blobs.chunks')
    .countDocuments({ files_id: { $nin: fileIds } });
}

const NOTHING = { runs: 0, activeRuns: 0, liveSteps: 0, archivedSteps: 0, events: 0, blobFiles: 0 };

test('a count limit keeps the newest runs and deletes the rest with their steps, events and blobs', async () => {
  const wf = await createWorkflow(TEST_SCOPE, { name: 'Counted', ownerId: 'u1' });
  const [oldest, middle, newest] = await runsOf(wf.id, 3);
  // The oldest run's steps are archived, so both step collections are exercised.
  await archiveIdleSteps(0);
  const before = await leftovers([oldest, middle]);
  expect(before.blobFiles).toBe(2); // Big's output, one per run (Small's input is the same reference)
  expect(before.events).toBeGreaterThan(0);
  expect(before.archivedSteps).toBe(6);

  await setWorkflowRetention(TEST_SCOPE, wf.id, { runs: 1 });
  const counts = await pruneRuns({ defaults: {}, planGraceMs: 0 });

  expect(counts.runs).toBe(2);
  expect(await leftovers([oldest, middle])).toEqual(NOTHING);
  expect(await orphanChunks()).toBe(0);
  const kept = await leftovers([newest]);
  expect(kept.runs).toBe(1);
  expect(kept.blobFiles).toBe(1);
  // The kept run still pins the plan.
  expect(counts.plans).toBe(0);
  expect(await db().collection('plans').countDocuments({ workflowId: wf.id })).toBe(1);
  expect((await getRunUnscoped(newest))?.status).toBe('succeeded');
});

test('a days limit deletes runs ended before it, and the plan once no run or published version pins it', async () => {
  const draft = await createWorkflow(TEST_SCOPE, { name: 'Draft only', ownerId: 'u1' });
  const published = await createWorkflow(TEST_SCOPE, { name: 'Published', ownerId: 'u1' });
  const draftRuns = await runsOf(draft.id, 2);
  const publishedRuns = await runsOf(published.id, 1);
  await publishVersion(TEST_SCOPE, {
    workflowId: published.id,
    document: {},
    planHash: bigPlan(published.id).hash,
    createdBy: 'u1',
  });

  // Nothing has ended a day ago yet.
  expect((await pruneRuns({ defaults: { days: 1 }, planGraceMs: 0 })).runs).toBe(0);
  const later = new Date(Date.now() + 2 * DAY);
  const counts = await pruneRuns({ defaults: { days: 1 }, planGraceMs: 0, now: later });

  expect(await leftovers([...draftRuns, ...publishedRuns])).toEqual(NOTHING);
  expect(await orphanChunks()).toBe(0);
  expect(await db().collection('plans').countDocuments({ workflowId: draft.id })).toBe(0);
  expect(await db().collection('plans').countDocuments({ workflowId: published.id })).toBe(1);
  expect(counts.plans).toBeGreaterThanOrEqual(1);
});

test('a workflow override beats the global default, and a pass deletes at most maxRuns', async () => {
  const longLived = await createWorkflow(TEST_SCOPE, { name: 'Kept a year', ownerId: 'u1' });
  await setWorkflowRetention(TEST_SCOPE, longLived.id, { days: 365 });
  const ids = await fakeFinishedRuns(longLived.id, 3);
  const later = new Date(Date.now() + 30 * DAY);
  expect((await pruneRuns({ defaults: { days: 7 }, now: later })).runs).toBe(0);

  await setWorkflowRetention(TEST_SCOPE, longLived.id, { days: null });
  expect((await getWorkflow(TEST_SCOPE, longLived.id))?.retention).toEqual({ days: null, runs: null });
  expect((await pruneRuns({ defaults: { days: 7 }, now: later, maxRuns: 2 })).runs).toBe(2);
  expect((await leftovers(ids)).runs).toBe(1);
  expect((await pruneRuns({ defaults: { days: 7 }, now: later, maxRuns: 2 })).runs).toBe(1);
});

test('runs still in progress are never pruned', async () => {
  const wf = await createWorkflow(TEST_SCOPE, { name: 'Busy', ownerId: 'u1' });
  await setRunStatus('busy-run', 'running', { workflowId: wf.id, planHash: 'h-busy' });
  await setWorkflowRetention(TEST_SCOPE, wf.id, { runs: 1, days: 0.0001 });
  await pruneRuns({ defaults: {}, now: new Date(Date.now() + DAY) });
  expect((await getRunUnscoped('busy-run'))?.status).toBe('running');
});

test('a workflow deleted with its runs is purged, then removed with its versions', async () => {
  const wf = await createWorkflow(TEST_SCOPE, { name: 'Doomed', ownerId: 'u1' });
  const ids = await runsOf(wf.id, 1);
  await publishVersion(TEST_SCOPE, { workflowId: wf.id, document: {}, planHash: bigPlan(wf.id).hash, createdBy: 'u1' });
  expect(await archiveWorkflow(TEST_SCOPE, wf.id, { purgeRuns: true })).toBe(true);
  expect(await getWorkflow(TEST_SCOPE, wf.id)).toBeUndefined();

  const result = await purgeWorkflow(wf.id, { planGraceMs: 0 });
  expect(result).toMatchObject({ done: true, runs: 1, workflows: 1, plans: 1 });
  expect(await leftovers(ids)).toEqual(NOTHING);
  expect(
    await db()
      .collection('workflows')
      .countDocuments({ _id: new mongoose.Types.ObjectId(wf.id) }),
  ).toBe(0);
  expect(await db().collection('workflow_versions').countDocuments({ workflowId: wf.id })).toBe(0);
  expect(await db().collection('plans').countDocuments({ workflowId: wf.id })).toBe(0);
});

test('the global default comes from BATON_RETENTION_DAYS and BATON_RETENTION_RUNS, and bad values say so', () => {
  expect(retentionDefaults({})).toEqual({ days: undefined, runs: undefined });
  expect(retentionDefaults({ BATON_RETENTION_DAYS: '14', BATON_RETENTION_RUNS: '1000' })).toEqual({
    days: 14,
    runs: 1000,
  });
  expect(() => retentionDefaults({ BATON_RETENTION_RUNS: '2.5' })).toThrow(
    /BATON_RETENTION_RUNS must be a whole number/,
  );
  expect(() => retentionDefaults({ BATON_RETENTION_DAYS: '-1' })).toThrow(/BATON_RETENTION_DAYS/);
});

/** Finished run records without Temporal, for limits that only look at records. */
async function fakeFinishedRuns(workflowId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const runId = `${workflowId}-fake-${i}`;
    await setRunStatus(runId, 'succeeded', { workflowId, planHash: `h-${workflowId}`, at: new Date(Date.now() - i) });
    ids.push(runId);
  }
  return ids;
}
