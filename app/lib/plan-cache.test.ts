// The published-plan cache against the real FerretDB: a version is read once and then served from memory, a
// refusal is not remembered, a pruned plan record is compiled again and stored, trigger secrets come from the
// saved version (the plan holds placeholders), and a publish drops the workflow's older versions.
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../../db/connection';
import { getPlan } from '../../db/plans';
import { createWorkflow, publishVersion } from '../../db/workflows';
import type { WorkflowDocument } from '../../ir/types';
import { compileOrThrow, workflowDoc } from '../../test/run-harness';
import { testDatabaseUri } from '../../test/stack';
import { publishedPlan, rememberPublished } from './plan-cache.server';
import { systemScope } from '../../db/workspaces';

const TEST_SCOPE = systemScope('ws_test');

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_plan_cache'));
  await mongoose.connection.db!.dropDatabase();
});

afterAll(async () => {
  await disconnectDb();
});

const versions = () => mongoose.connection.db!.collection('workflow_versions');
const plans = () => mongoose.connection.db!.collection('plans');

const hookDoc = (path: string): WorkflowDocument =>
  workflowDoc(
    [
      { id: 'hook', type: 'webhook-trigger', params: { path, auth: 'header', secret: 'saved-secret' } },
      { id: 'set', type: 'set-fields', params: { fields: { a: 1 } } },
    ],
    [['hook', 'set']],
  );

/** Publishes like POST /api/workflows/:id/publish, minus the cache: the plan is stored, then the version. */
async function published(name: string, path: string) {
  const wf = await createWorkflow(TEST_SCOPE, { name, ownerId: 'u1' });
  const plan = compileOrThrow(hookDoc(path), wf.id, name);
  await plans().insertOne({
    _id: plan.hash as never,
    hash: plan.hash,
    workflowId: wf.id,
    name,
    json: JSON.stringify(plan),
    createdAt: new Date(),
  });
  const version = await publishVersion(TEST_SCOPE, {
    workflowId: wf.id,
    document: hookDoc(path),
    planHash: plan.hash,
    createdBy: 'u1',
  });
  return { workflowId: wf.id, plan, version: version.version };
}

const nameUnused = async (): Promise<string> => {
  throw new Error('the workflow name is only needed to compile a version again');
};

test('a version is read from the store once, then served from memory with its saved trigger secret', async () => {
  const { workflowId, plan } = await published('Cached', 'cached');
  const first = await publishedPlan(workflowId, 1, nameUnused);
  expect(first).toMatchObject({ ok: true, version: 1, plan: { hash: plan.hash } });
  expect(first.ok && first.plan.nodes.hook.params.secret).toBe('[secret]');
  expect(first.ok && first.triggerParams.secret).toBe('saved-secret');

  await versions().deleteOne({ workflowId, version: 1 }); // only memory can answer now
  expect(await publishedPlan(workflowId, 1, nameUnused)).toBe(first);
});

test('a missing version is refused and not remembered: once published, it is found', async () => {
  const { workflowId } = await published('Later', 'later');
  expect(await publishedPlan(workflowId, 2, nameUnused)).toMatchObject({ ok: false, status: 404 });
  await publishVersion(TEST_SCOPE, {
    workflowId,
    document: hookDoc('later2'),
    planHash: 'stored-below',
    createdBy: 'u1',
  });
  const plan = compileOrThrow(hookDoc('later2'), workflowId, 'Later');
  await plans().insertOne({ _id: 'stored-below' as never, hash: 'stored-below', json: JSON.stringify(plan) });
  expect(await publishedPlan(workflowId, 2, nameUnused)).toMatchObject({ ok: true, version: 2 });
});

test('a version whose plan record was pruned is compiled again, and the plan is stored for the runs that pin it', async () => {
  const { workflowId, plan } = await published('Pruned', 'pruned');
  await plans().deleteOne({ _id: plan.hash as never });
  const found = await publishedPlan(workflowId, 1, async () => 'Pruned');
  expect(found).toMatchObject({ ok: true, plan: { hash: plan.hash } });
  expect((await getPlan(plan.hash))?.hash).toBe(plan.hash);
});

test('a publish in this process drops the older versions of that workflow only', async () => {
  const one = await published('Republished', 'one');
  const other = await published('Other', 'other');
  expect((await publishedPlan(one.workflowId, 1, nameUnused)).ok).toBe(true);
  expect((await publishedPlan(other.workflowId, 1, nameUnused)).ok).toBe(true);
  await versions().deleteMany({}); // from here on, only memory can answer

  const plan = compileOrThrow(hookDoc('two'), one.workflowId, 'Republished');
  rememberPublished({ workflowId: one.workflowId, version: 2, plan, document: hookDoc('two') });
  expect(await publishedPlan(one.workflowId, 2, nameUnused)).toMatchObject({
    ok: true,
    triggerParams: { path: 'two' },
  });
  expect(await publishedPlan(one.workflowId, 1, nameUnused)).toMatchObject({ ok: false, status: 404 });
  expect((await publishedPlan(other.workflowId, 1, nameUnused)).ok).toBe(true);
});
