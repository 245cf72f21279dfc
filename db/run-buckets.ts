// Time buckets of a run's start: the month, day, hour and minute it started in (UTC), stored on the run record as
// strings. On FerretDB only equalities reach an index (docs/decisions/031-flat-history.md), so the runs page reads
// history one bucket at a time, newest first, by equality (db/run-list.ts) instead of sorting every stored run.
// Pure: the run store, the run list and the benchmark seeder compute them alike.

export type BucketLevel = 0 | 1 | 2 | 3;

/** Finest first: minute, hour, day, month. */
export const BUCKET_FIELDS = ['startedMinute', 'startedHour', 'startedDay', 'startedMonth'] as const;
export type BucketField = (typeof BUCKET_FIELDS)[number];

export type RunBuckets = Record<BucketField, string>;

// '2025-03-01T12:34' | '2025-03-01T12' | '2025-03-01' | '2025-03'
const KEY_LENGTH = [16, 13, 10, 7] as const;

export function runBuckets(startedAt: Date): RunBuckets {
  const iso = startedAt.toISOString();
  return {
    startedMinute: iso.slice(0, KEY_LENGTH[0]),
    startedHour: iso.slice(0, KEY_LENGTH[1]),
    startedDay: iso.slice(0, KEY_LENGTH[2]),
    startedMonth: iso.slice(0, KEY_LENGTH[3]),
  };
}

export interface Bucket {
  level: BucketLevel;
  field: BucketField;
  key: string;
  /** Epoch ms of its first millisecond. */
  start: number;
}

/** The bucket of `level` that holds the instant `at` (epoch ms). */
export function bucketAt(level: BucketLevel, at: number): Bucket {
  const d = new Date(at);
  let start: number;
  if (level === 3) start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  else if (level === 2) start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  else {
    const size = level === 1 ? 3_600_000 : 60_000;
    start = Math.floor(at / size) * size;
  }
  return { level, field: BUCKET_FIELDS[level], key: d.toISOString().slice(0, KEY_LENGTH[level]), start };
}
