// Step writes against the real FerretDB: one write per start or end, a late write of an older attempt dropped,
// conditional closes, and finished steps inserted in bulk that replace what an earlier try of their unit wrote.
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from './connection';
import {
  deleteStepsOfRuns,
  findStep,
  findStepsByKey,
  listStepRecords,
  listTopLevelStepRecords,
  recordFinishedSteps,
  recordStep,
  recordStepBundles,
  type StepWrite,
} from './steps';
import { testDatabaseUri } from '../test/stack';

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_steps'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
});

afterAll(async () => {
  await disconnectDb();
});

const step = (runId: string, nodeId: string, fields: Partial<StepWrite> = {}): StepWrite => ({
  runId,
  nodeId,
  nodeName: `Node ${nodeId}`,
  type: 'set-fields',
  iteration: 0,
  status: 'running',
  attempt: 1,
  startedAt: new Date(),
  ...fields,
});

test('a bundle stores an output that extends its input as the difference, and reads every step back exactly', async () => {
  const at = Date.now();
  const headers = '"headers":{"accept":"*/*","content-type":"application/json"}';
  const trigger = `{"body":{"x":1},${headers},"pad":"${'p'.repeat(2000)}","note":"👍 \\u0000 </script>"}`;
  // Each Set node adds a field at the end; the last node changes the middle; the Code node's output shares nothing.
  const outputs = [trigger];
  for (let i = 1; i <= 5; i++) outputs.push(`${outputs[i - 1].slice(0, -1)},"f${i}":${i}}`);
  outputs.push(outputs[5].replace('"x":1', '"x":"\ud83d changed 👍"'));
  outputs.push('{"sum":16}');
  const steps = outputs.map((output, i) =>
    step('rd', `n${i}`, {
      status: 'succeeded',
      ...(i > 0 ? { input: outputs[i - 1] } : {}),
      output,
      startedAt: new Date(at + i),
      endedAt: new Date(at + i),
    }),
  );
  await recordStepBundles([{ runId: 'rd', steps }]);

  const records = await listStepRecords('rd');
  expect(records.map(({ _id, updatedAt: _updatedAt, ...rest }) => rest)).toEqual(steps);
  // Stored as differences: each output's text appears once, not once per node that passed it on.
  const stored = (await mongoose.connection.db!.collection('step_bundles').findOne({ _id: 'rd' as never }))!;
  const text = stored.json as string;
  expect(text.split('content-type').length - 1).toBe(1);
  expect(text.split('p'.repeat(2000)).length - 1).toBe(1);
  expect(text.length).toBeLessThan(outputs.join('').length / 4);
});

test('a step is created, then closed; a retry starts clean and a late write of the older attempt is dropped', async () => {
  expect(await recordStep(step('r1', 'a', { input: '{"x":1}' }))).toBe(true);
  expect(await recordStep(step('r1', 'a', { status: 'failed', error: { message: 'boom', code: 'x' } }))).toBe(true);
  expect(await recordStep(step('r1', 'a', { attempt: 2 }))).toBe(true);
  const retried = await findStep('r1', 'a');
  expect(retried).toMatchObject({ attempt: 2, status: 'running', input: '{"x":1}' });
  expect(retried?.error).toBeUndefined();

  expect(await recordStep(step('r1', 'a', { attempt: 1, status: 'succeeded', output: '"late"' }))).toBe(false);
  expect(await findStep('r1', 'a')).toMatchObject({ attempt: 2, status: 'running' });
  expect(await recordStep(step('r1', 'a', { attempt: 2, status: 'succeeded', output: '"ok"' }))).toBe(true);
  expect(await findStep('r1', 'a')).toMatchObject({ attempt: 2, status: 'succeeded', output: '"ok"' });
});

test('a conditional close applies over a running step or a missing one, never over a finished one', async () => {
  const cancel = (nodeId: string) =>
    recordStep(step('r2', nodeId, { status: 'failed', error: { message: 'cancelled', code: 'cancelled' } }), {
      onlyIfStatus: ['running', 'pending'],
    });
  await recordStep(step('r2', 'running'));
  await recordStep(step('r2', 'done', { status: 'succeeded', output: '1' }));
  expect(await cancel('running')).toBe(true);
  expect(await cancel('done')).toBe(false);
  expect(await cancel('missing')).toBe(true);
  expect(await findStep('r2', 'running')).toMatchObject({ status: 'failed' });
  expect(await findStep('r2', 'done')).toMatchObject({ status: 'succeeded', output: '1' });
  expect(await findStep('r2', 'missing')).toMatchObject({ status: 'failed' });
});

test('finished steps are inserted in one go, and replace what an earlier try of the same unit wrote', async () => {
  await recordStep(step('r3', 'b'));
  const finished = ['a', 'b', 'c'].map((nodeId, i) =>
    step('r3', nodeId, { status: 'succeeded', output: String(i), startedAt: new Date(Date.now() + i) }),
  );
  await recordFinishedSteps(finished);
  const records = await listStepRecords('r3');
  expect(records.map((r) => [r.nodeId, r.status, r.output])).toEqual([
    ['a', 'succeeded', '0'],
    ['b', 'succeeded', '1'],
    ['c', 'succeeded', '2'],
  ]);
  // The unit ran again after a crash: the same records, written again, do not fail and stay single.
  await recordFinishedSteps(finished.map((s) => ({ ...s, output: `${s.output}!` })));
  expect((await listStepRecords('r3')).map((r) => r.output)).toEqual(['0!', '1!', '2!']);
});

test('the steps of an express run are one bundle: read back whole by every reader, and deleted with the run', async () => {
  const at = Date.now();
  const hostile = '{"x":"\\u0000 \\"quoted\\" </script> 👍"}';
  const steps = [
    step('rb', 'hook', { status: 'succeeded', output: hostile, startedAt: new Date(at), endedAt: new Date(at) }),
    step('rb', 'set', {
      status: 'succeeded',
      input: hostile, // the trigger's output: stored once
      output: '{"x":2}',
      startedAt: new Date(at + 1),
      endedAt: new Date(at + 3),
      durationMs: 2,
    }),
    step('rb', 'merge', {
      status: 'failed',
      input: '[{"x":2},{"y":1}]',
      error: { message: 'boom', code: 'node-failed' },
      startedAt: new Date(at + 4),
      endedAt: new Date(at + 4),
    }),
  ];
  await recordStepBundles([
    { runId: 'rb', steps },
    { runId: 'rb-other', steps: [step('rb-other', 'hook')] },
  ]);

  const records = await listStepRecords('rb');
  expect(records.map(({ _id, updatedAt: _updatedAt, ...rest }) => rest)).toEqual(steps);
  expect(records.map((r) => r._id)).toEqual(['["rb","hook",0]', '["rb","set",0]', '["rb","merge",0]']);
  expect((await listTopLevelStepRecords('rb')).map((r) => r.nodeId)).toEqual(['hook', 'set', 'merge']);
  expect(await findStep('rb', 'set')).toMatchObject({ input: hostile, output: '{"x":2}', durationMs: 2 });
  expect(await findStep('rb', 'nope')).toBeUndefined();
  expect((await findStepsByKey('rb', [{ nodeId: 'merge', iteration: 0 }]))[0].error).toEqual({
    message: 'boom',
    code: 'node-failed',
  });

  expect(await deleteStepsOfRuns(['rb'])).toBe(1);
  expect(await listStepRecords('rb')).toEqual([]);
  expect(await listStepRecords('rb-other')).toHaveLength(1);
});
