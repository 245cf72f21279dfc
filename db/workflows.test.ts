// Published versions against the real FerretDB: keyed by `<workflowId>:<version>`, versions stored before keys
// existed still found, numbering that survives a publish which crashed before raising `publishedVersion` and
// concurrent publishes, archived workflows invisible to the webhook's `_id` read, and another workspace's workflow
// reading as missing to every scoped function.
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from './connection';
import {
  archiveWorkflow,
  cachedPublishedVersionOf,
  createWorkflow,
  getVersion,
  getWorkflow,
  listVersions,
  listWorkflows,
  publishedVersionOf,
  publishVersion,
  setWorkflowRetention,
  unpublishWorkflow,
  updateWorkflow,
  workspaceOfWorkflow,
} from './workflows';
import { testDatabaseUri } from '../test/stack';
import { systemScope } from './workspaces';

const TEST_SCOPE = systemScope('ws_test');

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_workflows'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes(); // the drop may have raced mongoose's own index build
});

afterAll(async () => {
  await disconnectDb();
});

const versions = () => mongoose.connection.db!.collection('workflow_versions');
const publish = (workflowId: string, planHash: string) =>
  publishVersion(TEST_SCOPE, { workflowId, document: { nodes: [], planHash }, planHash, createdBy: 'u1' });

test('versions are numbered from 1, stored under `<workflowId>:<version>`, and the workflow names the latest', async () => {
  const wf = await createWorkflow(TEST_SCOPE, { name: 'Keyed', ownerId: 'u1' });
  expect(await publishedVersionOf(wf.id)).toEqual({ id: wf.id, workspaceId: 'ws_test', publishedVersion: null });
  expect((await publish(wf.id, 'p1')).version).toBe(1);
  expect((await publish(wf.id, 'p2')).version).toBe(2);
  expect(await versions().findOne({ _id: `${wf.id}:2` as never })).toMatchObject({ version: 2, planHash: 'p2' });
  expect(await getVersion(wf.id, 1)).toMatchObject({ version: 1, planHash: 'p1', document: { planHash: 'p1' } });
  expect(await getVersion(wf.id, 3)).toBeUndefined();
  expect(await publishedVersionOf(wf.id)).toEqual({ id: wf.id, workspaceId: 'ws_test', publishedVersion: 2 });
});

test('a version stored before keys existed is found, and the next publish numbers past it', async () => {
  const wf = await createWorkflow(TEST_SCOPE, { name: 'Legacy', ownerId: 'u1' });
  // What publishVersion wrote before: an ObjectId `_id`; and a crash left `publishedVersion` unset.
  await versions().insertOne({
    workflowId: wf.id,
    workspaceId: 'ws_test', // migrateToWorkspaces gave it one
    version: 1,
    documentJson: '{"nodes":[]}',
    planHash: 'old',
    createdBy: 'u1',
    createdAt: new Date(),
  });
  expect(await getVersion(wf.id, 1)).toMatchObject({ version: 1, planHash: 'old' });
  expect((await publish(wf.id, 'new')).version).toBe(2);
  expect((await listVersions(TEST_SCOPE, wf.id)).map((v) => [v.version, v.planHash])).toEqual([
    [2, 'new'],
    [1, 'old'],
  ]);
  expect((await publishedVersionOf(wf.id))?.publishedVersion).toBe(2);
});

test('concurrent publishes get distinct numbers, and the workflow ends on the highest', async () => {
  const wf = await createWorkflow(TEST_SCOPE, { name: 'Busy', ownerId: 'u1' });
  const published = await Promise.all(['a', 'b', 'c', 'd'].map((hash) => publish(wf.id, hash)));
  expect(published.map((v) => v.version).sort()).toEqual([1, 2, 3, 4]);
  expect((await publishedVersionOf(wf.id))?.publishedVersion).toBe(4);
});

test('an archived workflow is not found by id, nor by its published version', async () => {
  const wf = await createWorkflow(TEST_SCOPE, { name: 'Gone', ownerId: 'u1' });
  await publish(wf.id, 'p');
  expect(await archiveWorkflow(TEST_SCOPE, wf.id, { purgeRuns: false })).toBe(true);
  expect(await getWorkflow(TEST_SCOPE, wf.id)).toBeUndefined();
  expect(await publishedVersionOf(wf.id)).toBeUndefined();
  expect(await publishedVersionOf('not-an-id')).toBeUndefined();
  expect(await publishedVersionOf('000000000000000000000000')).toBeUndefined();
});

test('another workspace’s workflow reads as missing, and its writes change nothing', async () => {
  const elsewhere = systemScope('ws_elsewhere');
  const wf = await createWorkflow(TEST_SCOPE, { name: 'Scoped', ownerId: 'u1' });
  await publish(wf.id, 'scoped');
  expect(wf.workspaceId).toBe('ws_test');
  expect(await getWorkflow(elsewhere, wf.id)).toBeUndefined();
  expect((await listWorkflows(elsewhere)).map((w) => w.id)).not.toContain(wf.id);
  expect((await listWorkflows(TEST_SCOPE)).map((w) => w.id)).toContain(wf.id);
  expect(await listVersions(elsewhere, wf.id)).toEqual([]);
  expect(await updateWorkflow(elsewhere, wf.id, wf.revision, { name: 'Taken' })).toEqual({
    ok: false,
    reason: 'not-found',
  });
  expect(await setWorkflowRetention(elsewhere, wf.id, { runs: 1 })).toBeUndefined();
  expect(await unpublishWorkflow(elsewhere, wf.id)).toBeUndefined();
  expect(await archiveWorkflow(elsewhere, wf.id, { purgeRuns: true })).toBe(false);
  await expect(
    publishVersion(elsewhere, { workflowId: wf.id, document: {}, planHash: 'x', createdBy: 'u2' }),
  ).rejects.toThrow(/does not exist/);
  expect(await getWorkflow(TEST_SCOPE, wf.id)).toMatchObject({
    name: 'Scoped',
    publishedVersion: 1,
    retention: { runs: null },
  });
  expect(await workspaceOfWorkflow(wf.id)).toBe('ws_test');
  expect(await publishedVersionOf(wf.id)).toMatchObject({ workspaceId: 'ws_test', publishedVersion: 1 });
});

test('the webhook path’s cached answer: this process’s changes show at once, another process’s within the TTL', async () => {
  const wf = await createWorkflow(TEST_SCOPE, { name: 'Cached', ownerId: 'u1' });
  const live = async () => (await cachedPublishedVersionOf(wf.id))?.publishedVersion;
  const workflows = mongoose.connection.db!.collection('workflows');
  const elsewhere = (set: Record<string, unknown>) =>
    workflows.updateOne({ _id: new mongoose.Types.ObjectId(wf.id) }, { $set: set });
  process.env.BATON_LIVE_VERSION_CACHE_MS = '60000';
  try {
    expect(await live()).toBeNull();
    await publish(wf.id, 'c1');
    expect(await live()).toBe(1);
    // Another web process publishes: this one answers from memory until the TTL passes.
    await elsewhere({ publishedVersion: 2 });
    expect(await live()).toBe(1);
    process.env.BATON_LIVE_VERSION_CACHE_MS = '0'; // off: every call reads
    expect(await live()).toBe(2);
    // Kept for a short TTL, then read again.
    process.env.BATON_LIVE_VERSION_CACHE_MS = '30';
    await unpublishWorkflow(TEST_SCOPE, wf.id);
    await elsewhere({ publishedVersion: 2 });
    expect(await live()).toBe(2);
    await elsewhere({ publishedVersion: 5 });
    expect(await live()).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await live()).toBe(5);
    await elsewhere({ publishedVersion: 2 });
    process.env.BATON_LIVE_VERSION_CACHE_MS = '60000';
    expect(await unpublishWorkflow(TEST_SCOPE, wf.id)).toBe(2);
    expect(await live()).toBeNull();
    const republished = await publish(wf.id, 'c3');
    expect(await live()).toBe(republished.version);
    expect(await archiveWorkflow(TEST_SCOPE, wf.id, { purgeRuns: false })).toBe(true);
    expect(await cachedPublishedVersionOf(wf.id)).toBeUndefined();
    // Ids of no workflow are not kept: the workflow created with such an id later is found at once.
    expect(await cachedPublishedVersionOf('000000000000000000000001')).toBeUndefined();
    process.env.BATON_LIVE_VERSION_CACHE_MS = 'soon';
    await expect(cachedPublishedVersionOf(wf.id)).rejects.toThrow(/BATON_LIVE_VERSION_CACHE_MS must be a number/);
  } finally {
    delete process.env.BATON_LIVE_VERSION_CACHE_MS;
  }
});
