// Periodic upkeep every worker process schedules: keeps the collections on the per-node hot path small
// (see db/steps.ts) and prunes live events with plain queries (no TTL indexes); reconciles quiet active
// runs with Temporal (temporal/reconciler.ts); applies run retention (db/retention.ts). Reconciling and
// retention take a lease, so one process at a time does them however many workers run.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { deleteExpiredBrowserSessions } from '../db/browser-sessions';
import { closeAbandonedTakeovers } from '../db/browser-takeovers';
import { dropAbandonedInboxes, pruneEvents } from '../db/events';
import { acquireLease } from '../db/leases';
import { pruneRuns, retentionDefaults, type RetentionPolicy } from '../db/retention';
import { registerUnfinishedRuns } from '../db/runs';
import { archiveIdleSteps } from '../db/steps';
import { closeTemporalClient } from './client';
import { reconcileQuietRuns } from './reconciler';

export interface HousekeepingOptions {
  everyMs?: number;
  /** Step records untouched this long leave the live collection for the archive. */
  stepIdleMs?: number;
  /** Live events are for the socket relay only (history reads step records); older ones are deleted. */
  eventRetentionMs?: number;
  /** Checking active runs against Temporal; false turns it off. */
  reconcile?: { everyMs: number; quietMs: number } | false;
  /** Deleting finished runs past their limits; false turns it off. */
  retention?: { everyMs: number; defaults: RetentionPolicy } | false;
}

/** The schedule from the environment (docs/decisions/020-run-lifecycle.md lists the variables). */
export function housekeepingFromEnv(env: Record<string, string | undefined> = process.env): HousekeepingOptions {
  return {
    reconcile: {
      everyMs: positiveInt(env, 'BATON_RECONCILE_EVERY_MS', 10_000),
      quietMs: positiveInt(env, 'BATON_RECONCILE_AFTER_MS', 60_000),
    },
    retention: { everyMs: positiveInt(env, 'BATON_RETENTION_EVERY_MS', 10 * 60_000), defaults: retentionDefaults(env) },
  };
}

export function startHousekeeping(opts: HousekeepingOptions = housekeepingFromEnv()): { stop(): void } {
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const timers: NodeJS.Timeout[] = [];
  let usesTemporal = false;

  const every = (name: string, everyMs: number, work: () => Promise<unknown>, lease: boolean) => {
    let running = false;
    const pass = async () => {
      if (running) return;
      running = true;
      try {
        // The lease outlives a few missed passes, so a live holder keeps it and a dead one loses it soon.
        if (!lease || (await acquireLease(name, holder, Math.max(3 * everyMs, 5_000)))) await work();
      } catch (err) {
        console.warn(`Housekeeping (${name}) failed; it is retried in ${everyMs / 1000} s: ${(err as Error).message}`);
      } finally {
        running = false;
      }
    };
    const timer = setInterval(() => void pass(), everyMs);
    timer.unref();
    timers.push(timer);
  };

  const everyMs = opts.everyMs ?? 60_000;
  every(
    'steps-and-events',
    everyMs,
    async () => {
      // At most 10,000 records a pass: a larger backlog moves over the next passes.
      await archiveIdleSteps(opts.stepIdleMs, 500, 20);
      // The event log is dropped a whole period at a time: at half the retention, no event outlives all of it.
      await pruneEvents(new Date(Date.now() - (opts.eventRetentionMs ?? 60 * 60_000) / 2));
      await dropAbandonedInboxes();
      // Saved browser sessions past their expiry (they already read as missing; this frees the storage).
      await deleteExpiredBrowserSessions();
      // Takeover tasks a dead worker left open past their deadline, with no retry to supersede them (decision 059).
      await closeAbandonedTakeovers();
    },
    false,
  );
  const { reconcile, retention } = opts;
  if (reconcile) {
    usesTemporal = true;
    let registered = false;
    every(
      'reconcile',
      reconcile.everyMs,
      async () => {
        // Runs begun before the registry existed (an upgrade) join it once, then are checked like any other.
        if (!registered) {
          await registerUnfinishedRuns();
          registered = true;
        }
        await reconcileQuietRuns({ quietMs: reconcile.quietMs });
      },
      true,
    );
  }
  if (retention) every('retention', retention.everyMs, () => pruneRuns({ defaults: retention.defaults }), true);

  return {
    stop: () => {
      for (const timer of timers) clearInterval(timer);
      if (usesTemporal) void closeTemporalClient();
    },
  };
}

function positiveInt(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, not "${raw}".`);
  return n;
}
