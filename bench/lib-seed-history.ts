// Stored-run history for benchmarks, written fast: every document one real run of a workflow left in the store
// (its run record, step records, live events…) is cloned in bulk under fresh run ids and earlier dates.
// Cloning what the real code path wrote keeps the seed faithful to today's document shapes without restating them.
//
// Seeded runs end where the oldest stored run began, one every `spacingMs`, written oldest first (insertion order is
// what a scan without sort returns), and each clone lands where a running Baton keeps a run of that age
// (temporal/housekeeping.ts): steps idle for 10 minutes are moved from `steps_live` to `steps`, live events older
// than an hour are deleted, and finished runs are not in `active_runs`.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { runBuckets } from '../db/run-buckets';

type Db = mongoose.mongo.Db;
type Doc = Record<string, unknown>;

const STEP_IDLE_MS = 10 * 60_000;
const EVENT_RETENTION_MS = 60 * 60_000;
const BATCH = 2000;

export interface RunTemplate {
  runId: string;
  startedAt: Date;
  /** The run's documents by collection, as stored. */
  docs: Map<string, Doc[]>;
}

/** Everything the store holds for one finished run: documents whose `_id` or `runId` is the run id. */
export async function captureRunTemplate(db: Db, runId: string): Promise<RunTemplate> {
  const docs = new Map<string, Doc[]>();
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (name.startsWith('system.')) continue;
    const found = await db
      .collection<Doc>(name)
      .find({ $or: [{ _id: runId as never }, { runId }] })
      .toArray();
    if (found.length > 0) docs.set(name, found);
  }
  const run = docs.get('runs')?.[0];
  if (!run || !(run.startedAt instanceof Date) || !(run.endedAt instanceof Date)) {
    throw new Error(`Run ${runId} has no finished run record to copy; seed from a run that has ended.`);
  }
  docs.get('events')?.sort((a, b) => Number(a.seq) - Number(b.seq) || String(a._id).localeCompare(String(b._id)));
  return { runId, startedAt: run.startedAt, docs };
}

export interface SeedReport {
  runs: number;
  seconds: number;
  /** Documents written, by collection. */
  written: Record<string, number>;
}

/** Writes `count` finished runs, cycling through the templates, older than every run stored so far. */
export async function seedHistory(
  db: Db,
  templates: RunTemplate[],
  count: number,
  opts: { spacingMs: number; log: (line: string) => void },
): Promise<SeedReport> {
  const started = Date.now();
  const oldest = await db
    .collection('runs')
    .find({}, { projection: { startedAt: 1 } })
    .sort({ startedAt: 1 })
    .limit(1)
    .next();
  const now = Date.now();
  const anchor = Math.min(now, (oldest?.startedAt as Date | undefined)?.getTime() ?? Infinity);
  const startOf = (k: number) => anchor - k * opts.spacingMs; // k = count is the oldest
  const templateOf = (k: number) => templates[k % templates.length];
  const keepsEvents = (k: number) => now - startOf(k) <= EVENT_RETENTION_MS;

  // Events numbered by a global sequence take numbers below every stored one: already relayed, as they were.
  const lowest = await db
    .collection('events')
    .find({}, { projection: { seq: 1 } })
    .sort({ seq: 1 })
    .limit(1)
    .next();
  let seededEvents = 0;
  for (let k = 1; k <= count; k++) {
    if (keepsEvents(k))
      for (const [name, docs] of templateOf(k).docs) if (isEventLog(name)) seededEvents += docs.length;
  }
  let nextSeq = Math.min(typeof lowest?.seq === 'number' ? lowest.seq : 1, 1) - seededEvents;

  const writer = new BatchWriter(db);
  for (let k = count; k >= 1; k--) {
    const template = templateOf(k);
    const clone = cloner(template.runId, `run_${randomUUID()}`, startOf(k) - template.startedAt.getTime());
    for (const [collection, docs] of template.docs) {
      if (collection === 'active_runs') continue;
      if (isEventLog(collection) && !keepsEvents(k)) continue;
      const target = collection === 'steps_live' && now - startOf(k) > STEP_IDLE_MS ? 'steps' : collection;
      const copies = docs.map((doc) => clone(doc) as Doc);
      // A run's start buckets are strings the date shift does not reach: derived again from the shifted start.
      if (collection === 'runs')
        for (const copy of copies) if (copy.startedAt instanceof Date) Object.assign(copy, runBuckets(copy.startedAt));
      for (const copy of copies) if (typeof copy.seq === 'number') copy.seq = nextSeq++;
      await writer.add(target, copies, collection);
    }
    const done = count - k + 1;
    if (done % 10_000 === 0)
      opts.log(`  seeded ${done} of ${count} runs (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  await writer.flush();
  return { runs: count, seconds: (Date.now() - started) / 1000, written: writer.written };
}

/** The live event log, and the older parts of it housekeeping sets aside before dropping them (db/events.ts). */
const isEventLog = (collection: string) => collection === 'events' || collection.startsWith('events_');

const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g;

/**
 * Deep copy with the run id replaced, dates (also ISO strings inside serialized JSON) moved, and every `_id` made
 * new: an ObjectId is drawn afresh, a string id without the run id in it (an event batch id) gets the new run id
 * appended.
 */
function cloner(fromRunId: string, toRunId: string, shiftMs: number): (value: unknown, key?: string) => unknown {
  const shiftIso = (iso: string) => new Date(Date.parse(iso) + shiftMs).toISOString();
  const clone = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') {
      if (key === '_id' && !value.includes(fromRunId)) return `${value}~${toRunId}`;
      const renamed = value.includes(fromRunId) ? value.split(fromRunId).join(toRunId) : value;
      return renamed.includes('Z') ? renamed.replace(ISO_TIME, shiftIso) : renamed;
    }
    if (value instanceof Date) return new Date(value.getTime() + shiftMs);
    if (value instanceof mongoose.mongo.ObjectId) return key === '_id' ? new mongoose.mongo.ObjectId() : value;
    if (Array.isArray(value)) return value.map((item) => clone(item));
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v, k)]));
    }
    return value;
  };
  return clone;
}

/** Buffers documents per collection and inserts them in large unordered batches, one batch in flight at a time. */
class BatchWriter {
  readonly written: Record<string, number> = {};
  private readonly buffers = new Map<string, Doc[]>();
  private inFlight: Promise<unknown> = Promise.resolve();
  private readonly prepared = new Set<string>();

  constructor(private readonly db: Db) {}

  async add(collection: string, docs: Doc[], source: string): Promise<void> {
    if (!this.prepared.has(collection)) await this.prepare(collection, source);
    const buffer = this.buffers.get(collection) ?? [];
    buffer.push(...docs);
    this.buffers.set(collection, buffer);
    if (buffer.length >= BATCH) await this.send(collection);
  }

  async flush(): Promise<void> {
    for (const collection of [...this.buffers.keys()]) await this.send(collection);
    await this.inFlight;
  }

  private async send(collection: string): Promise<void> {
    const docs = this.buffers.get(collection) ?? [];
    this.buffers.delete(collection);
    if (docs.length === 0) return;
    await this.inFlight; // cloning the next batch overlaps with this insert, not with two of them
    const insert = this.db.collection(collection).insertMany(docs, { ordered: false });
    insert.catch(() => undefined); // awaited (and its error thrown) before the next batch or at flush
    this.inFlight = insert;
    this.written[collection] = (this.written[collection] ?? 0) + docs.length;
  }

  /** A collection the app has not created yet (the step archive before any archiving) gets its source's indexes. */
  private async prepare(collection: string, source: string): Promise<void> {
    this.prepared.add(collection);
    if (collection === source) return;
    if ((await this.db.listCollections({ name: collection }, { nameOnly: true }).toArray()).length > 0) return;
    const indexes = (await this.db.collection(source).listIndexes().toArray()).filter((i) => i.name !== '_id_');
    if (indexes.length === 0) return;
    await this.db.collection(collection).createIndexes(indexes.map(({ key, name, unique }) => ({ key, name, unique })));
  }
}
