// The live event log read by web processes: ordered by sequence number, and a reader never misses an
// event whose insert lands after a later one (several worker processes append concurrently).
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from './connection';
import { appendEvent, eventsSince, GAP_GRACE_MS, listRunEvents, pruneEvents } from './events';
import { testDatabaseUri } from '../test/stack';
import type { RunEvent } from '../contracts/live-events';

const run = (runId: string, status: 'running' | 'succeeded' = 'running'): RunEvent => ({
  kind: 'run',
  runId,
  workflowId: 'wf',
  status,
  at: new Date().toISOString(),
});

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_events'));
  await mongoose.connection.db!.dropDatabase();
});
afterAll(disconnectDb);

test('a reader starting now sees later events in append order', async () => {
  const start = await eventsSince();
  expect(start.events).toEqual([]);
  await appendEvent(run('r1'));
  await appendEvent(run('r1', 'succeeded'));
  const next = await eventsSince(start.cursor);
  expect(next.events.map((e) => (e as { status: string }).status)).toEqual(['running', 'succeeded']);
  expect((await eventsSince(next.cursor)).events).toEqual([]);
  expect(await listRunEvents('r1')).toHaveLength(2);
});

test('an event inserted after a later one is still delivered, exactly once', async () => {
  const { cursor } = await eventsSince();
  // A writer took a sequence number and has not inserted its event yet.
  const counter = await mongoose.connection
    .db!.collection<{ _id: string; seq: number }>('counters')
    .findOneAndUpdate({ _id: 'events' }, { $inc: { seq: 1 } }, { returnDocument: 'after' });
  const slowSeq = counter!.seq;
  await appendEvent(run('fast'));
  const first = await eventsSince(cursor);
  expect(first.events.map((e) => e.runId)).toEqual(['fast']);

  await mongoose.connection
    .db!.collection('events')
    .insertOne({ seq: slowSeq, runId: 'slow', kind: 'run', json: JSON.stringify(run('slow')), createdAt: new Date() });
  const second = await eventsSince(first.cursor);
  expect(second.events.map((e) => e.runId)).toEqual(['slow']);
  expect((await eventsSince(second.cursor)).events).toEqual([]);
});

test('a gap left by a writer that died is given up after the grace period', async () => {
  const { cursor } = await eventsSince();
  await mongoose.connection
    .db!.collection<{ _id: string; seq: number }>('counters')
    .updateOne({ _id: 'events' }, { $inc: { seq: 1 } });
  await appendEvent(run('after-gap'));
  const t0 = Date.now();
  const first = await eventsSince(cursor, t0);
  expect(first.events.map((e) => e.runId)).toEqual(['after-gap']);
  const held = await eventsSince(first.cursor, t0 + 1000);
  expect(held.cursor).toBe(first.cursor);
  const released = await eventsSince(held.cursor, t0 + GAP_GRACE_MS + 1);
  expect(released.events).toEqual([]);
  expect(released.cursor).not.toContain('.');
  await appendEvent(run('later'));
  expect((await eventsSince(released.cursor)).events.map((e) => e.runId)).toEqual(['later']);
});

test('prune removes events older than the cutoff', async () => {
  await appendEvent(run('old'));
  const removed = await pruneEvents(new Date(Date.now() + 1000));
  expect(removed).toBeGreaterThan(0);
  expect(await listRunEvents('old')).toEqual([]);
});

test('a cursor that was not produced by eventsSince is refused with a hint', async () => {
  await expect(eventsSince('garbage')).rejects.toThrow(/pass back the cursor/);
});
