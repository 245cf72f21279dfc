// Live events against the real FerretDB: many writers on their own connections, no shared counter, and every
// reader (web process) gets each event once, in per-run order, while the writes are still going on.
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose, { type Connection } from 'mongoose';
import { connectDb, disconnectDb } from './connection';
import {
  appendEvent,
  createEventWriter,
  deleteEventsOfRuns,
  dropAbandonedInboxes,
  listRunEvents,
  openEventFeed,
  pruneEvents,
  READER_GONE_MS,
  type EventFeed,
  type EventWriter,
} from './events';
import { testDatabaseUri } from '../test/stack';
import type { RunEvent } from '../contracts/live-events';

const uri = testDatabaseUri('baton_test_events');
const connections: Connection[] = [];
const feeds: EventFeed[] = [];

const step = (runId: string, nodeId: string, at = new Date()): RunEvent => ({
  kind: 'step',
  runId,
  workflowId: 'wf',
  nodeId,
  nodeName: nodeId.toUpperCase(),
  status: 'succeeded',
  attempt: 1,
  at: at.toISOString(),
});
const nodeIds = (events: RunEvent[]) => events.map((e) => (e.kind === 'step' ? e.nodeId : e.status));

async function connection(): Promise<Connection> {
  const conn = await mongoose.createConnection(uri).asPromise();
  connections.push(conn);
  return conn;
}

/** A reader registered now: writers created from here on deliver to it. */
async function openFeed(conn?: Connection): Promise<EventFeed> {
  const feed = openEventFeed(conn);
  feeds.push(feed);
  expect(await feed.poll()).toEqual([]);
  return feed;
}

async function logNames(): Promise<string[]> {
  const collections = await mongoose.connection.db!.listCollections({}, { nameOnly: true }).toArray();
  return collections.map((c) => c.name).filter((name) => name.startsWith('events'));
}

async function inboxNames(): Promise<string[]> {
  const collections = await mongoose.connection.db!.listCollections({}, { nameOnly: true }).toArray();
  return collections.map((c) => c.name).filter((name) => name.startsWith('live_inbox_'));
}

beforeAll(async () => {
  await connectDb(uri);
  await mongoose.connection.db!.dropDatabase();
});
afterAll(async () => {
  for (const feed of feeds) await feed.close();
  for (const conn of connections) await conn.close();
  await disconnectDb();
});

test('a reader sees the events appended after it registered, in append order, once', async () => {
  const feed = await openFeed();
  await appendEvent(step('r1', 'a'));
  await appendEvent(step('r1', 'b'));
  expect(nodeIds(await feed.poll())).toEqual(['a', 'b']);
  expect(await feed.poll()).toEqual([]);
  expect(nodeIds(await listRunEvents('r1'))).toEqual(['a', 'b']);
});

test('16 writers on their own connections: every reader gets every event once, in per-run order', async () => {
  const RUNS = 48;
  const STEPS = 20;
  const readers = [await openFeed(await connection()), await openFeed(await connection())];
  const writers: EventWriter[] = [];
  for (let i = 0; i < 16; i++) writers.push(createEventWriter(await connection()));

  // Readers poll while the writers write, so that inserts in flight meet polls.
  const received = readers.map(() => new Map<string, RunEvent[]>());
  let writing = true;
  const polling = readers.map(async (feed, r) => {
    const take = (events: RunEvent[]) => {
      for (const e of events) received[r].set(e.runId, [...(received[r].get(e.runId) ?? []), e]);
      return events.length;
    };
    while (writing) {
      take(await feed.poll());
      await sleep(5);
    }
    while (take(await feed.poll()) > 0);
  });

  // Each run is a chain of steps whose events come from different writers, one after the other (as steps of a
  // run executed by different workers); the runs go on at the same time.
  const errors: string[] = [];
  const runIds = Array.from({ length: RUNS }, (_, r) => `run-${r}`);
  await Promise.all(
    runIds.map(async (runId, r) => {
      for (let s = 0; s < STEPS; s++) {
        await writers[(r * 5 + s * 3) % writers.length]
          .append(step(runId, `n${s}`))
          .catch((err: Error) => errors.push(err.message));
      }
    }),
  );
  writing = false;
  await Promise.all(polling);

  expect(errors).toEqual([]);
  const expected = Array.from({ length: STEPS }, (_, s) => `n${s}`);
  for (const byRun of received) {
    expect([...byRun.keys()].sort()).toEqual([...runIds].sort());
    for (const runId of runIds) expect(nodeIds(byRun.get(runId)!)).toEqual(expected);
  }
  for (const runId of runIds.slice(0, 5)) expect(nodeIds(await listRunEvents(runId))).toEqual(expected);
}, 120_000);

test('an event stored after a later one was delivered is still delivered, once', async () => {
  const feed = await openFeed();
  const slow = createEventWriter(mongoose.connection);
  const fast = createEventWriter(mongoose.connection);
  const emittedFirst = step('late', 'early', new Date(Date.now() - 5_000));
  await fast.append(step('late', 'later'));
  expect(nodeIds(await feed.poll())).toEqual(['later']);
  await slow.append(emittedFirst);
  expect(await feed.poll()).toEqual([emittedFirst]);
  expect(await feed.poll()).toEqual([]);
});

test('a reader that replaces a closed one starts from now and redelivers nothing', async () => {
  const first = await openFeed();
  await createEventWriter(mongoose.connection).append(step('restart', 'before'));
  expect(nodeIds(await first.poll())).toEqual(['before']);
  await first.close();
  expect(await inboxNames()).not.toContain(`live_inbox_${first.readerId}`);

  const second = await openFeed();
  expect(await second.poll()).toEqual([]);
  await createEventWriter(mongoose.connection).append(step('restart', 'after'));
  expect(nodeIds(await second.poll())).toEqual(['after']);
  expect(await second.poll()).toEqual([]);
});

test('events appended without waiting share writes and keep their order', async () => {
  const feed = await openFeed();
  const writer = createEventWriter(mongoose.connection);
  const appended = Array.from({ length: 100 }, (_, i) => `g${i}`);
  await Promise.all(appended.map((nodeId) => writer.append(step('grouped', nodeId))));
  const records = await mongoose.connection.db!.collection('events').countDocuments({ runId: 'grouped' });
  expect(records).toBe(2); // the first event alone, the 99 that queued behind it together
  expect(nodeIds(await listRunEvents('grouped'))).toEqual(appended);
  expect(nodeIds(await feed.poll())).toEqual(appended);
});

test('deleting runs removes their events and no others', async () => {
  const writer = createEventWriter(mongoose.connection);
  await Promise.all([writer.append(step('doomed', 'x')), writer.append(step('kept', 'y'))]);
  await Promise.all([writer.append(step('doomed', 'x2')), writer.append(step('kept', 'y2'))]); // one batch, two runs
  expect(await deleteEventsOfRuns(['doomed'])).toBe(2);
  expect(await listRunEvents('doomed')).toEqual([]);
  expect(nodeIds(await listRunEvents('kept'))).toEqual(['y', 'y2']);
});

test('pruning sets the log aside once its oldest record is too old, and drops it one period later', async () => {
  const writer = createEventWriter(mongoose.connection);
  await writer.append(step('first-period', 'a'));
  expect(await pruneEvents(new Date(Date.now() - 60_000))).toBe(0);
  expect(await logNames()).toEqual(['events']);

  const cutoff = new Date(Date.now() + 1_000);
  // Two processes pruning at once set the log aside once.
  expect(await Promise.all([pruneEvents(cutoff), pruneEvents(cutoff)])).toEqual([0, 0]);
  expect(await logNames()).toHaveLength(2);
  expect(nodeIds(await listRunEvents('first-period'))).toEqual(['a']);

  await writer.append(step('second-period', 'b'));
  expect(await pruneEvents(cutoff)).toBe(1);
  expect(await listRunEvents('first-period')).toEqual([]);
  expect(nodeIds(await listRunEvents('second-period'))).toEqual(['b']);
  await writer.append(step('third-period', 'c'));
  expect(await logNames()).toHaveLength(2);
  expect(nodeIds(await listRunEvents('third-period'))).toEqual(['c']);
});

test('housekeeping drops the inbox of a reader that stopped without closing', async () => {
  const live = await openFeed();
  const gone = openEventFeed(); // polls once, then its process "crashes": no close
  await gone.poll();
  await createEventWriter(mongoose.connection).append(step('crash', 'a'));
  expect(await inboxNames()).toEqual(
    expect.arrayContaining([`live_inbox_${live.readerId}`, `live_inbox_${gone.readerId}`]),
  );

  // The dead reader last polled longer ago than housekeeping waits for.
  await mongoose.connection
    .db!.collection<{ _id: string; seenAt: Date }>('live_readers')
    .updateOne({ _id: gone.readerId }, { $set: { seenAt: new Date(Date.now() - READER_GONE_MS - 1_000) } });
  expect(await dropAbandonedInboxes()).toBe(1);
  const names = await inboxNames();
  expect(names).not.toContain(`live_inbox_${gone.readerId}`);
  expect(names).toContain(`live_inbox_${live.readerId}`);
  expect(nodeIds(await live.poll())).toEqual(['a']);
});
