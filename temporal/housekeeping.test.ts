// Step records move from the live collection to the archive without disappearing from history views,
// and a late write to an archived step (a cancelled activity reporting back) is not lost. The retention
// timer prunes finished runs, and its lease lets one process at a time do it.
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../db/connection';
import { acquireLease } from '../db/leases';
import { getRunUnscoped, setRunStatus } from '../db/runs';
import { archiveIdleSteps, findLiveStep, findStep, listSteps, recordStep, type StepWrite } from '../db/steps';
import { testDatabaseUri } from '../test/stack';
import { housekeepingFromEnv, startHousekeeping } from './housekeeping';

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

test('one pass inserts new records and merges those the archive already holds', async () => {
  await recordStep(step('d'));
  expect(await archiveIdleSteps(0)).toBe(1);
  await recordStep(step('d', { status: 'failed', error: { message: 'late', code: 'cancelled' }, output: undefined }));
  await recordStep(step('e'));
  expect(await archiveIdleSteps(0)).toBe(2);

  expect(await findLiveStep('run-archive', 'd')).toBeUndefined();
  expect(await findLiveStep('run-archive', 'e')).toBeUndefined();
  expect(await findStep('run-archive', 'd')).toMatchObject({
    status: 'failed',
    output: JSON.stringify({ nodeId: 'd' }),
  });
  expect(await findStep('run-archive', 'e')).toMatchObject({ status: 'succeeded' });
});

test('a pass moves at most its batches, and the next pass moves the rest', async () => {
  for (const nodeId of ['p1', 'p2', 'p3', 'p4', 'p5']) await recordStep(step(nodeId));
  expect(await archiveIdleSteps(0, 2, 2)).toBe(4);
  expect(await archiveIdleSteps(0, 2, 2)).toBe(1);
  expect(await archiveIdleSteps(0, 2, 2)).toBe(0);
  for (const nodeId of ['p1', 'p2', 'p3', 'p4', 'p5']) {
    expect(await findLiveStep('run-archive', nodeId)).toBeUndefined();
    expect((await findStep('run-archive', nodeId))?.status).toBe('succeeded');
  }
});

test('a write from an older attempt is dropped', async () => {
  await recordStep(step('c', { attempt: 2, status: 'running' }));
  expect(await recordStep(step('c', { attempt: 1, status: 'succeeded' }))).toBe(false);
  expect((await findStep('run-archive', 'c'))?.status).toBe('running');
});

test('the retention timer deletes finished runs past the default and spares runs in progress', async () => {
  const longAgo = new Date(Date.now() - 3_600_000);
  await setRunStatus('hk-old', 'succeeded', { workflowId: 'wf-hk', planHash: 'h-hk', at: longAgo });
  await setRunStatus('hk-busy', 'running', { workflowId: 'wf-hk', planHash: 'h-hk', at: longAgo });
  const housekeeping = startHousekeeping({
    reconcile: false,
    retention: { everyMs: 100, defaults: { days: 1 / 24 / 60 } }, // one minute
  });
  try {
    const deadline = Date.now() + 10_000;
    while (await getRunUnscoped('hk-old')) {
      if (Date.now() > deadline) throw new Error('The retention timer did not delete a run ended an hour ago.');
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    housekeeping.stop();
  }
  expect((await getRunUnscoped('hk-busy'))?.status).toBe('running');
});

test('a lease has one holder until it expires', async () => {
  const t0 = new Date();
  const at = (ms: number) => new Date(t0.getTime() + ms);
  expect(await acquireLease('job', 'a', 1_000, t0)).toBe(true);
  expect(await acquireLease('job', 'b', 1_000, at(10))).toBe(false);
  expect(await acquireLease('job', 'a', 1_000, at(500))).toBe(true); // renewed until 1 500
  expect(await acquireLease('job', 'b', 1_000, at(1_200))).toBe(false);
  expect(await acquireLease('job', 'b', 1_000, at(1_600))).toBe(true);
  expect(await acquireLease('job', 'a', 1_000, at(1_700))).toBe(false);
});

test('the schedule comes from the environment, and a bad value names its variable', () => {
  expect(housekeepingFromEnv({ BATON_RECONCILE_EVERY_MS: '500', BATON_RETENTION_RUNS: '20' })).toMatchObject({
    reconcile: { everyMs: 500, quietMs: 60_000 },
    retention: { everyMs: 600_000, defaults: { runs: 20 } },
  });
  expect(() => housekeepingFromEnv({ BATON_RECONCILE_AFTER_MS: 'soon' })).toThrow(/BATON_RECONCILE_AFTER_MS/);
});
