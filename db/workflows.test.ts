// Published versions against the real FerretDB: keyed by `<workflowId>:<version>`, versions stored before keys
// existed still found, numbering that survives a publish which crashed before raising `publishedVersion` and
// concurrent publishes, and archived workflows invisible to the webhook's `_id` read.
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from './connection';
import {
  archiveWorkflow,
  createWorkflow,
  getVersion,
  getWorkflow,
  listVersions,
  publishedVersionOf,
  publishVersion,
} from './workflows';
import { testDatabaseUri } from '../test/stack';

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
  publishVersion({ workflowId, document: { nodes: [], planHash }, planHash, createdBy: 'u1' });

test('versions are numbered from 1, stored under `<workflowId>:<version>`, and the workflow names the latest', async () => {
  const wf = await createWorkflow({ name: 'Keyed', ownerId: 'u1' });
  expect(await publishedVersionOf(wf.id)).toEqual({ id: wf.id, publishedVersion: null });
  expect((await publish(wf.id, 'p1')).version).toBe(1);
  expect((await publish(wf.id, 'p2')).version).toBe(2);
  expect(await versions().findOne({ _id: `${wf.id}:2` as never })).toMatchObject({ version: 2, planHash: 'p2' });
  expect(await getVersion(wf.id, 1)).toMatchObject({ version: 1, planHash: 'p1', document: { planHash: 'p1' } });
  expect(await getVersion(wf.id, 3)).toBeUndefined();
  expect(await publishedVersionOf(wf.id)).toEqual({ id: wf.id, publishedVersion: 2 });
});

test('a version stored before keys existed is found, and the next publish numbers past it', async () => {
  const wf = await createWorkflow({ name: 'Legacy', ownerId: 'u1' });
  // What publishVersion wrote before: an ObjectId `_id`; and a crash left `publishedVersion` unset.
  await versions().insertOne({
    workflowId: wf.id,
    version: 1,
    documentJson: '{"nodes":[]}',
    planHash: 'old',
    createdBy: 'u1',
    createdAt: new Date(),
  });
  expect(await getVersion(wf.id, 1)).toMatchObject({ version: 1, planHash: 'old' });
  expect((await publish(wf.id, 'new')).version).toBe(2);
  expect((await listVersions(wf.id)).map((v) => [v.version, v.planHash])).toEqual([
    [2, 'new'],
    [1, 'old'],
  ]);
  expect((await publishedVersionOf(wf.id))?.publishedVersion).toBe(2);
});

test('concurrent publishes get distinct numbers, and the workflow ends on the highest', async () => {
  const wf = await createWorkflow({ name: 'Busy', ownerId: 'u1' });
  const published = await Promise.all(['a', 'b', 'c', 'd'].map((hash) => publish(wf.id, hash)));
  expect(published.map((v) => v.version).sort()).toEqual([1, 2, 3, 4]);
  expect((await publishedVersionOf(wf.id))?.publishedVersion).toBe(4);
});

test('an archived workflow is not found by id, nor by its published version', async () => {
  const wf = await createWorkflow({ name: 'Gone', ownerId: 'u1' });
  await publish(wf.id, 'p');
  expect(await archiveWorkflow(wf.id, { purgeRuns: false })).toBe(true);
  expect(await getWorkflow(wf.id)).toBeUndefined();
  expect(await publishedVersionOf(wf.id)).toBeUndefined();
  expect(await publishedVersionOf('not-an-id')).toBeUndefined();
  expect(await publishedVersionOf('000000000000000000000000')).toBeUndefined();
});
