// The live event log: appended by any worker process, polled by web processes (no change streams).
// Every event takes a sequence number from a counter document, so readers order events from many
// writers without trusting their clocks or ObjectIds.
import mongoose, { Schema } from 'mongoose';
import type { RunEvent } from '../contracts/live-events';

interface EventDoc {
  seq: number;
  runId: string;
  kind: RunEvent['kind'];
  json: string; // the whole event, serialized: it carries user-facing error text
  createdAt: Date;
}

interface CounterDoc {
  _id: string;
  seq: number;
}

const EventModel =
  (mongoose.models.RunEventLog as mongoose.Model<EventDoc>) ??
  mongoose.model<EventDoc>(
    'RunEventLog',
    new Schema<EventDoc>(
      {
        seq: { type: Number, required: true, unique: true },
        runId: { type: String, required: true },
        kind: { type: String, required: true },
        json: { type: String, required: true },
        createdAt: { type: Date, required: true, index: true },
      },
      { collection: 'events' },
    ).index({ runId: 1, seq: 1 }),
  );

const CounterModel =
  (mongoose.models.Counter as mongoose.Model<CounterDoc>) ??
  mongoose.model<CounterDoc>(
    'Counter',
    new Schema<CounterDoc>({ _id: String, seq: Number }, { collection: 'counters' }),
  );

export async function appendEvent(event: RunEvent): Promise<void> {
  const counter = await CounterModel.findOneAndUpdate(
    { _id: 'events' },
    { $inc: { seq: 1 } },
    { upsert: true, new: true },
  ).lean();
  await EventModel.create({
    seq: counter!.seq,
    runId: event.runId,
    kind: event.kind,
    json: JSON.stringify(event),
    createdAt: new Date(),
  });
}

/**
 * A sequence number is taken before its event is inserted, so a reader can see seq 7 while seq 6 is
 * still in flight from another process. The cursor therefore only advances over an unbroken prefix and
 * remembers what it delivered past a gap; a gap still open after GAP_GRACE_MS belongs to a writer that
 * died between the two writes and is given up.
 */
export const GAP_GRACE_MS = 10_000;
const PAGE = 500;

interface Cursor {
  low: number; // every seq <= low has been delivered or given up
  delivered: number[]; // seqs > low already delivered
  gapSince?: number; // reader clock (ms) when the current gap was first seen
}

export async function eventsSince(cursor?: string, now = Date.now()): Promise<{ events: RunEvent[]; cursor: string }> {
  if (cursor === undefined || cursor === '') {
    const last = await EventModel.find({}, { seq: 1 }).sort({ seq: -1 }).limit(1).lean();
    return { events: [], cursor: String(last[0]?.seq ?? 0) };
  }
  const state = parseCursor(cursor);
  const docs = await EventModel.find({ seq: { $gt: state.low } }, { seq: 1, json: 1 })
    .sort({ seq: 1 })
    .limit(PAGE)
    .lean();
  const seen = new Set(state.delivered);
  const fresh = docs.filter((d) => !seen.has(d.seq));
  for (const d of fresh) seen.add(d.seq);
  let low = state.low;
  while (seen.has(low + 1)) seen.delete(++low);
  let gapSince = seen.size > 0 ? (state.gapSince ?? now) : undefined;
  if (gapSince !== undefined && now - gapSince > GAP_GRACE_MS) {
    low = Math.max(...seen);
    seen.clear();
    gapSince = undefined;
  }
  const next: Cursor = { low, delivered: [...seen].sort((a, b) => a - b), gapSince };
  return { events: fresh.map((d) => JSON.parse(d.json) as RunEvent), cursor: formatCursor(next) };
}

/** All events of one run in order, for late joiners and tests. */
export async function listRunEvents(runId: string): Promise<RunEvent[]> {
  const docs = await EventModel.find({ runId }, { json: 1 }).sort({ seq: 1 }).lean();
  return docs.map((d) => JSON.parse(d.json) as RunEvent);
}

/** Retention without TTL indexes: delete events older than `before`. Returns how many were removed. */
export async function pruneEvents(before: Date): Promise<number> {
  const result = await EventModel.deleteMany({ createdAt: { $lt: before } });
  return result.deletedCount;
}

/** Retention: deletes the events of these runs. */
export async function deleteEventsOfRuns(runIds: string[]): Promise<number> {
  if (runIds.length === 0) return 0;
  return (await EventModel.deleteMany({ runId: { $in: runIds } })).deletedCount;
}

// Format: `low` or `low.gapSince.seq-seq-…`; opaque to callers.
function formatCursor(c: Cursor): string {
  return c.delivered.length === 0 ? String(c.low) : `${c.low}.${c.gapSince}.${c.delivered.join('-')}`;
}

function parseCursor(text: string): Cursor {
  const [low, gapSince, delivered] = text.split('.');
  const cursor: Cursor = {
    low: Number(low),
    gapSince: gapSince === undefined ? undefined : Number(gapSince),
    delivered: delivered ? delivered.split('-').map(Number) : [],
  };
  if (!Number.isSafeInteger(cursor.low) || cursor.delivered.some((n) => !Number.isSafeInteger(n))) {
    throw new Error(
      `Invalid event cursor "${text.slice(0, 40)}": pass back the cursor returned by the previous eventsSince call, or none to start from now.`,
    );
  }
  return cursor;
}
