// Live events, from the workers that append them to the web processes that relay them to browsers
// (docs/decisions/010-live-events-through-mongo.md). Nothing here takes a shared counter or reads a long
// collection on the hot path: FerretDB scans a whole collection for any query but an equality on an indexed field
// (decision 031).
//
// - A writer (one per process) groups the events appended while its previous write was in flight into one
//   batch, named `<writer id>.<batch number>`, and inserts it into the log (`events`, one record per run) and
//   into the inbox of every live reader.
// - A reader (one per web process) owns an inbox collection: it reads what is there in batch order,
//   deletes what it read, and registers in `live_readers` so that writers know where to deliver.
// - The log is pruned by setting it aside whole (a rename) and dropping the one set aside before.
// - Approval events (a user's inbox changed) travel the same way to the readers, addressed to users rather than to
//   a run; they go to the inboxes only, since nobody reads them back later (the inbox API answers late joiners).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import mongoose, { Schema, type Connection } from 'mongoose';
import type { RunEvent } from '../contracts/live-events';
import type { ApprovalEvent } from '../contracts/approvals';

/** An approval event for the users whose inbox it changes; web processes relay it to each one's user room. */
export interface ApprovalDelivery {
  kind: 'approval';
  event: ApprovalEvent;
  userIds: string[];
}

/** What travels from writers to the web processes' inboxes. */
export type LiveEvent = RunEvent | ApprovalDelivery;

const isRunEvent = (event: LiveEvent): event is RunEvent => event.kind !== 'approval';

interface LogDoc {
  _id: string; // `<batch id>.<index>`: unique without coordination, since each writer numbers its own batches
  runId: string;
  at: Date; // the writer's clock when the batch was written, for pruning
  events: string[]; // serialized whole: events carry user-facing error text
}

interface InboxDoc {
  _id: string; // the batch id
  events: string[];
}

interface ReaderDoc {
  _id: string;
  host: string;
  seenAt: Date;
}

const LOG = 'events';
const ASIDE_PREFIX = 'events_from_'; // + the time of the oldest record, 13 digits: names sort by age
const READERS = 'live_readers';
const INBOX_PREFIX = 'live_inbox_';

/** How long a writer trusts its list of readers: a new reader misses at most this much of what happens. */
const READERS_REFRESH_MS = 1_000;
/** How often a polling reader tells writers it is alive. */
const HEARTBEAT_MS = 10_000;
/** Writers stop delivering to a reader silent this long (it has crashed, or stopped without closing). */
const READER_STALE_MS = 60_000;
/** Housekeeping drops the inbox of a reader silent this long. */
export const READER_GONE_MS = 10 * 60_000;
const MAX_EVENTS_PER_BATCH = 500;
const INBOX_PAGE = 1_000;

const LogModel =
  (mongoose.models.RunEventLog as mongoose.Model<LogDoc>) ??
  mongoose.model<LogDoc>(
    'RunEventLog',
    new Schema<LogDoc>(
      {
        _id: { type: String, required: true },
        runId: { type: String, required: true, index: true },
        at: { type: Date, required: true },
        events: { type: [String], required: true },
      },
      { collection: LOG, versionKey: false },
    ),
  );

export interface EventWriter {
  /** Resolves once the event is in the log and in every live reader's inbox. A writer stores events in the order
   * they were appended, whether or not callers wait in between; appending without waiting shares writes.
   * `log: false` delivers to the inboxes only: for events nobody will read back later (approval events, the one
   * event of an express run, which has no live progress to catch up on). */
  append(event: LiveEvent, opts?: { log?: boolean }): Promise<void>;
}

let processWriter: EventWriter | undefined;

/** Appends through this process's writer, on the default connection. */
export function appendEvent(event: RunEvent, opts?: { log?: boolean }): Promise<void> {
  processWriter ??= createEventWriter(mongoose.connection);
  return processWriter.append(event, opts);
}

/** Tells the web processes that `userIds`' inboxes changed; each relays it to the users connected to it. */
export function publishApprovalEvent(event: ApprovalEvent, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return Promise.resolve();
  processWriter ??= createEventWriter(mongoose.connection);
  return processWriter.append({ kind: 'approval', event, userIds: [...new Set(userIds)] });
}

export function createEventWriter(conn: Connection): EventWriter {
  const writerId = randomId();
  const log = conn.collection<LogDoc>(LOG);
  const inboxes = liveInboxes(conn);
  const queue: Array<{ event: LiveEvent; log: boolean; settle: (err?: Error) => void }> = [];
  let draining = false;
  let batches = 0;
  let lastAt = 0;

  const write = async (batch: Array<{ event: LiveEvent; log: boolean }>) => {
    const events = batch.map((b) => b.event);
    lastAt = Math.max(Date.now(), lastAt);
    // Time first, so that readers can sort batches: PostgreSQL, unlike SQLite, does not return rows in
    // insertion order once deleted rows have left space to reuse.
    const batchId = `${String(lastAt).padStart(13, '0')}.${writerId}.${(batches++).toString(36).padStart(8, '0')}`;
    const at = new Date(lastAt);
    const json = events.map((e) => JSON.stringify(e));
    const byRun = new Map<string, string[]>();
    for (const [i, { event: e, log: logged }] of batch.entries()) {
      if (!logged || !isRunEvent(e)) continue;
      const list = byRun.get(e.runId);
      if (list) list.push(json[i]);
      else byRun.set(e.runId, [json[i]]);
    }
    const records = [...byRun].map(([runId, list], i) => ({ _id: `${batchId}.${i}`, runId, at, events: list }));
    const targets = await inboxes();
    const results = await Promise.allSettled([
      ...(records.length > 0 ? [log.insertMany(records)] : []),
      ...targets.map((inbox) => inbox.insertOne({ _id: batchId, events: json })),
    ]);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
    if (failures.length > 0)
      throw new Error(
        `${failures.length} of ${results.length} writes of event batch ${batchId} failed: ${failures[0]}`,
      );
  };

  // Group commit: one batch in flight per writer; whatever arrives meanwhile goes in the next one.
  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_EVENTS_PER_BATCH);
      try {
        await write(batch);
        for (const w of batch) w.settle();
      } catch (err) {
        for (const w of batch) w.settle(err as Error);
      }
    }
    draining = false;
  };

  return {
    append(event, opts) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ event, log: opts?.log !== false, settle: (err) => (err ? reject(err) : resolve()) });
        if (!draining) {
          draining = true;
          void drain();
        }
      });
    },
  };
}

/** The inboxes of the readers alive lately, as a writer sees them (refreshed every READERS_REFRESH_MS). */
function liveInboxes(conn: Connection): () => Promise<Array<mongoose.Collection<InboxDoc>>> {
  let cached: { inboxes: Array<mongoose.Collection<InboxDoc>>; until: number } | undefined;
  return async () => {
    const now = Date.now();
    if (!cached || now >= cached.until) {
      const alive = await conn
        .collection<ReaderDoc>(READERS)
        .find({ seenAt: { $gte: new Date(now - READER_STALE_MS) } }, { projection: { _id: 1 } })
        .toArray();
      const inboxes = alive.map((r) => conn.collection<InboxDoc>(INBOX_PREFIX + r._id));
      cached = { inboxes, until: now + READERS_REFRESH_MS };
    }
    return cached.inboxes;
  };
}

export interface EventFeed {
  readonly readerId: string;
  /** The events delivered to this reader since its previous poll, each once, in the order they were stored. The
   * first poll registers the reader: it sees what writers store from then on. */
  pollLive(): Promise<LiveEvent[]>;
  /** `pollLive` without the approval events, for readers that follow runs only. */
  poll(): Promise<RunEvent[]>;
  /** Unregisters the reader and drops its inbox. */
  close(): Promise<void>;
}

export function openEventFeed(conn: Connection = mongoose.connection): EventFeed {
  const readerId = randomId();
  const inbox = conn.collection<InboxDoc>(INBOX_PREFIX + readerId);
  let heartbeatAt: number | undefined;
  // Batches already returned whose delete failed: they are deleted again next time, never returned again.
  let unconfirmed = new Set<string>();

  const heartbeat = async (now: number) => {
    if (heartbeatAt !== undefined && now - heartbeatAt < HEARTBEAT_MS) return;
    if (heartbeatAt !== undefined && now - heartbeatAt > READER_STALE_MS)
      console.warn(
        `[live] reader ${readerId} did not poll for ${Math.round((now - heartbeatAt) / 1000)} s, so writers stopped ` +
          'delivering to it: live events of that time are missing (run pages still show them from the API).',
      );
    await conn
      .collection<ReaderDoc>(READERS)
      .updateOne(
        { _id: readerId },
        { $set: { host: `${hostname()}:${process.pid}`, seenAt: new Date(now) } },
        { upsert: true },
      );
    heartbeatAt = now;
  };

  const feed: EventFeed = {
    readerId,
    poll: async () => (await feed.pollLive()).filter(isRunEvent),
    async pollLive() {
      await heartbeat(Date.now());
      // Sorted by batch id (write time, then writer and its batch number): each writer's batches in order.
      // The inbox holds only what this reader has not read yet, so the sort is over a short collection.
      const docs = await inbox.find({}).sort({ _id: 1 }).limit(INBOX_PAGE).toArray();
      if (docs.length === 0) return [];
      const fresh = docs.filter((d) => !unconfirmed.has(d._id));
      try {
        await inbox.deleteMany({ _id: { $in: docs.map((d) => d._id) } });
        unconfirmed = new Set();
      } catch (err) {
        for (const d of docs) unconfirmed.add(d._id);
        console.warn(`[live] reader ${readerId} could not clear its inbox; retrying: ${(err as Error).message}`);
      }
      return fresh.flatMap((d) => d.events.map(parseLiveEvent));
    },
    async close() {
      await conn.collection<ReaderDoc>(READERS).deleteOne({ _id: readerId });
      await inbox.drop();
    },
  };
  return feed;
}

/**
 * Housekeeping: forgets readers silent for READER_GONE_MS and drops their inboxes, and inboxes no reader owns (a
 * writer whose list of readers was out of date recreated one). Returns how many inboxes were dropped.
 */
export async function dropAbandonedInboxes(now = Date.now()): Promise<number> {
  const db = connectedDb('dropAbandonedInboxes');
  // Listed before the readers are read: an inbox is only ever created for a reader already registered.
  const inboxes = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((name) => name.startsWith(INBOX_PREFIX));
  const readers = db.collection<ReaderDoc>(READERS);
  const cutoff = new Date(now - READER_GONE_MS);
  await readers.deleteMany({ seenAt: { $lt: cutoff } });
  const owned = new Set((await readers.find({}, { projection: { _id: 1 } }).toArray()).map((r) => r._id));
  const abandoned = inboxes.filter((name) => !owned.has(name.slice(INBOX_PREFIX.length)));
  for (const name of abandoned) await db.collection(name).drop();
  return abandoned.length;
}

/** All events of one run in the order they were stored, for late joiners and tests. */
export async function listRunEvents(runId: string): Promise<RunEvent[]> {
  const db = connectedDb('listRunEvents');
  const events: RunEvent[] = [];
  for (const name of await logCollections(db)) {
    // By record id: write time, then writer and its batch number. Records of the per-event log that preceded
    // batches have no `events`.
    const docs = await db
      .collection<LogDoc>(name)
      .find({ runId, events: { $exists: true } }, { projection: { events: 1 } })
      .sort({ _id: 1 })
      .toArray();
    for (const d of docs) events.push(...d.events.map(parseEvent));
  }
  return events;
}

/**
 * Retention without TTL indexes, and without the scan a delete by date is on FerretDB: once the log's oldest record
 * is older than `before`, the log is renamed aside and the one set aside before is dropped, so records live between
 * one and two periods. Returns how many logs were dropped. Safe to run in several processes at once.
 */
export async function pruneEvents(before: Date): Promise<number> {
  const db = connectedDb('pruneEvents');
  // No filter and no sort: the first record in insertion order, which FerretDB reads without a scan.
  const log = db.collection<Pick<LogDoc, '_id'> & { at?: Date }>(LOG);
  const [oldest] = await log
    .find({}, { projection: { at: 1 } })
    .limit(1)
    .toArray();
  if (!oldest || (oldest.at && oldest.at >= before)) return 0; // a record of the per-event log has no `at`: it is old
  const since = String(oldest.at?.getTime() ?? 0).padStart(13, '0');
  try {
    await db.renameCollection(LOG, ASIDE_PREFIX + since);
  } catch (err) {
    // Another process set this very log aside a moment ago.
    const code = (err as { codeName?: string }).codeName;
    if (code === 'NamespaceExists' || code === 'NamespaceNotFound') return 0;
    throw err;
  }
  await LogModel.createIndexes(); // on the log writers start anew
  const aside = (await logCollections(db)).filter((name) => name !== LOG);
  for (const name of aside.slice(0, -1)) await db.dropCollection(name);
  return aside.length - 1;
}

/** Retention: deletes the log records of these runs. */
export async function deleteEventsOfRuns(runIds: string[]): Promise<number> {
  if (runIds.length === 0) return 0;
  const db = connectedDb('deleteEventsOfRuns');
  // One equality per run rather than `$in`, which FerretDB evaluates over the whole log.
  const deletes = runIds.map((runId) => ({ deleteMany: { filter: { runId } } }));
  let deleted = 0;
  for (const name of await logCollections(db))
    deleted += (await db.collection<LogDoc>(name).bulkWrite(deletes, { ordered: false })).deletedCount;
  return deleted;
}

/** The logs set aside, oldest first, then the current one. */
async function logCollections(db: mongoose.mongo.Db): Promise<string[]> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  return [...names.filter((name) => name.startsWith(ASIDE_PREFIX)).sort(), LOG];
}

function connectedDb(caller: string): mongoose.mongo.Db {
  const db = mongoose.connection.db;
  if (!db) throw new Error(`${caller} needs a connected database: call connectDb first.`);
  return db;
}

function parseEvent(json: string): RunEvent {
  return JSON.parse(json) as RunEvent;
}

function parseLiveEvent(json: string): LiveEvent {
  return JSON.parse(json) as LiveEvent;
}

function randomId(): string {
  return randomBytes(6).toString('hex');
}
