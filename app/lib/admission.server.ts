// Admission control: while more runs wait for a worker than BATON_MAX_BACKLOG, webhooks and POST /api/runs
// refuse new runs with 503 and Retry-After instead of accepting work the workers cannot finish (decision 028).
// A run waits from its launch until the interpreter records it running, its first step: the active-run
// registry (db/active-runs) holds it as `queued` meanwhile, whichever web process launched it. The registry is
// read at most once a second per process; the runs this process admitted since are added to what it read.
import { countQueuedRuns } from '../../db/active-runs';

const DEFAULT_MAX_BACKLOG = 200;
const REFRESH_MS = 1000;
const RETRY_AFTER_SECONDS = 2;

export interface BacklogRefusal {
  waiting: number;
  limit: number;
  retryAfterSeconds: number;
}

interface Backlog {
  waiting: number;
  readAt: number;
  admittedSinceRead: number;
  reading?: Promise<void>;
}

// Shared by both copies of the app modules in a web process (server.ts via tsx, routes via the Remix build).
const SHARED: unique symbol = Symbol.for('baton.admission');
const backlog = ((globalThis as { [SHARED]?: Backlog })[SHARED] ??= {
  waiting: 0,
  readAt: -Infinity,
  admittedSinceRead: 0,
});

/** BATON_MAX_BACKLOG: runs allowed to wait for a worker; 0 turns admission control off. */
export function maxBacklog(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BATON_MAX_BACKLOG;
  if (raw === undefined || raw === '') return DEFAULT_MAX_BACKLOG;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`BATON_MAX_BACKLOG must be a whole number (0 for no limit), not "${raw}".`);
  return n;
}

/** Undefined when a new run may start (and it is counted as waiting from now on); otherwise why not. */
export async function admitRun(): Promise<BacklogRefusal | undefined> {
  const limit = maxBacklog();
  if (limit === 0) return undefined;
  if (performance.now() - backlog.readAt >= REFRESH_MS) await refresh();
  const waiting = backlog.waiting + backlog.admittedSinceRead;
  if (waiting >= limit) return { waiting, limit, retryAfterSeconds: RETRY_AFTER_SECONDS };
  backlog.admittedSinceRead++;
  return undefined;
}

/** Concurrent requests share one read of the registry. */
function refresh(): Promise<void> {
  backlog.reading ??= (async () => {
    try {
      backlog.waiting = await countQueuedRuns();
      backlog.readAt = performance.now();
      backlog.admittedSinceRead = 0;
    } finally {
      backlog.reading = undefined;
    }
  })();
  return backlog.reading;
}
