// The active-run registry: admission control counts the runs waiting for a worker without reading the registry.
import mongoose from 'mongoose';
import { testDatabaseUri } from '../test/stack';
import { countQueuedRuns, trackRun, untrackRun } from './active-runs';
import { connectDb, disconnectDb } from './connection';

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_active_runs'));
  await mongoose.connection.db!.dropDatabase();
});
afterAll(disconnectDb);

test('queued runs are counted until they run or end', async () => {
  expect(await countQueuedRuns()).toBe(0);
  await trackRun('ar-1', 'wf', 'queued');
  await trackRun('ar-2', 'wf', 'queued');
  await trackRun('ar-3', 'wf', 'running');
  expect(await countQueuedRuns()).toBe(2);

  await trackRun('ar-1', 'wf', 'running');
  await trackRun('ar-2', 'wf', 'queued'); // a refresh never moves a run back
  await untrackRun('ar-3');
  expect(await countQueuedRuns()).toBe(1);
});
