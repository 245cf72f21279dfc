// Group commit of express runs against the real FerretDB: runs that end while a write is out are stored
// together, every one of them with all its steps and its live event, in far fewer writes than runs. The event
// reaches the web processes' inboxes only: nothing catches up on an express run from the event log.
import mongoose from 'mongoose';
import type { StepRecord } from '../contracts/step-record';
import { connectDb, disconnectDb } from '../db/connection';
import { listRunEvents, openEventFeed, type EventFeed } from '../db/events';
import { getRunUnscoped } from '../db/runs';
import { listSteps } from '../db/steps';
import type { Plan } from '../ir/types';
import { testDatabaseUri } from '../test/stack';
import { recordExpressRun, type FinishedExpressRun } from './record-run';

const inserts = new Map<string, number>();
let feed: EventFeed;

beforeAll(async () => {
  const uri = testDatabaseUri('baton_test_express_record');
  // Command monitoring is chosen when the client is made, so this file connects first.
  await mongoose.connect(uri, { monitorCommands: true });
  await connectDb(uri);
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
  mongoose.connection.getClient().on('commandStarted', (e) => {
    if (e.commandName !== 'insert') return;
    const collection = String(e.command.insert);
    inserts.set(collection, (inserts.get(collection) ?? 0) + 1);
  });
  // A web process's reader, registered before anything is written: writers deliver to it from then on.
  feed = openEventFeed();
  await feed.poll();
});

afterAll(async () => {
  await feed.close();
  await disconnectDb();
});

const plan = { hash: 'plan-express-record', workflowId: 'wf-express-record' } as Plan;

function finishedRun(i: number): FinishedExpressRun {
  const runId = `run-express-record-${i}`;
  const at = new Date();
  const steps: StepRecord[] = ['hook', 'set', 'code'].map((nodeId, n) => ({
    runId,
    nodeId,
    nodeName: nodeId,
    type: 'set-fields',
    iteration: 0,
    status: 'succeeded',
    attempt: 1,
    // A chain: each step's input is the previous step's output (stored once in the run's bundle).
    ...(n === 0 ? {} : { input: JSON.stringify({ i, n }) }),
    output: JSON.stringify({ i, n: n + 1 }),
    startedAt: new Date(at.getTime() + n),
    endedAt: new Date(at.getTime() + n),
    durationMs: 0,
  }));
  return {
    runId,
    input: {
      plan,
      workspaceId: 'ws_test',
      workflowId: plan.workflowId,
      workflowVersion: 1,
      trigger: { i },
      mode: 'webhook',
    },
    status: 'succeeded',
    startedAt: at,
    steps,
    outputJson: JSON.stringify({ i }),
  };
}

test('40 runs ending at once are all stored, with their steps and events, in a few writes', async () => {
  inserts.clear();
  const runs = Array.from({ length: 40 }, (_, i) => finishedRun(i));
  await Promise.all(runs.map((run) => recordExpressRun(run)));

  for (const run of runs) {
    expect(await getRunUnscoped(run.runId)).toMatchObject({ status: 'succeeded', workflowId: plan.workflowId });
    const stored = await listSteps(run.runId);
    expect(stored).toEqual(
      run.steps.map(({ input, output, ...step }) => ({
        ...step,
        ...(input === undefined ? {} : { input: JSON.parse(input) }),
        output: JSON.parse(output!),
      })),
    );
    expect(stored[1].input).toEqual(stored[0].output);
    // Web processes are told (runs lists refresh); the log a run page catches up from keeps nothing of it.
    expect(await listRunEvents(run.runId)).toEqual([]);
  }
  // Events follow the records without being waited for.
  const delivered: unknown[][] = [];
  for (const until = Date.now() + 10_000; delivered.length < runs.length && Date.now() < until;)
    for (const e of await feed.poll()) delivered.push([e.kind, e.runId, e.kind === 'run' ? e.status : '']);
  expect(delivered).toEqual(runs.map((run) => ['run', run.runId, 'succeeded']));
  // The first run is written alone, at once; the 39 that ended meanwhile go together in the next write.
  expect(inserts.get('runs')).toBeLessThanOrEqual(3);
  expect(inserts.get('step_bundles')).toBeLessThanOrEqual(3);
  expect(inserts.get('steps_live')).toBeUndefined(); // final already: nothing to archive later
});

test('a run that ends alone is written at once', async () => {
  inserts.clear();
  const run = finishedRun(100);
  await recordExpressRun(run);
  expect(await getRunUnscoped(run.runId)).toMatchObject({ status: 'succeeded' });
  expect(inserts.get('runs')).toBe(1);
});
