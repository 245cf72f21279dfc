// Step records move from the live collection to the archive without disappearing from history views,
// and a late write to an archived step (a cancelled activity reporting back) is not lost.
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../db/connection';
import { archiveIdleSteps, findLiveStep, findStep, listSteps, recordStep, type StepWrite } from '../db/steps';
import { testDatabaseUri } from '../test/stack';

const step = (nodeId: string, extra: Partial<StepWrite> = {}): StepWrite => ({
  runId: 'run-archive',
  nodeId,
  nodeName: nodeId.toUpperCase(),
  type: 'set-fields',
  iteration: 0,
  status: 'succeeded',
  attempt: 1,
  output: JSON.stringify({ nodeId }),
  startedAt: new Date(),
  ...extra,
});

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_housekeeping'));
  await mongoose.connection.db!.dropDatabase();
});
afterAll(disconnectDb);

test('idle steps are archived and still listed and found', async () => {
  await recordStep(step('a'));
  await recordStep(step('b'));
  expect(await archiveIdleSteps(0)).toBe(2);

  expect(await findLiveStep('run-archive', 'a')).toBeUndefined();
  expect((await findStep('run-archive', 'a'))?.output).toBe(JSON.stringify({ nodeId: 'a' }));
  expect((await listSteps('run-archive')).map((s) => s.nodeName)).toEqual(['A', 'B']);
});

test('a write after archiving wins over the archived record, and is archived again later', async () => {
  await recordStep(
    step('b', { status: 'failed', error: { message: 'cancelled late', code: 'cancelled' }, output: undefined }),
  );
  const listed = await listSteps('run-archive');
  expect(listed.find((s) => s.nodeId === 'b')).toMatchObject({ status: 'failed', error: { code: 'cancelled' } });

  expect(await archiveIdleSteps(0)).toBe(1);
  const archived = await findStep('run-archive', 'b');
  expect(archived).toMatchObject({ status: 'failed', output: JSON.stringify({ nodeId: 'b' }) });
});

test('a write from an older attempt is dropped', async () => {
  await recordStep(step('c', { attempt: 2, status: 'running' }));
  expect(await recordStep(step('c', { attempt: 1, status: 'succeeded' }))).toBe(false);
  expect((await findStep('run-archive', 'c'))?.status).toBe('running');
});
