// Periodic upkeep every worker process runs: keeps the collections on the per-node hot path small
// (see app/models/step.server.ts) and applies event retention with plain queries (no TTL indexes).
import { pruneEvents } from '../db/events';
import { archiveIdleSteps } from '../db/steps';

export interface HousekeepingOptions {
  everyMs?: number;
  /** Step records untouched this long leave the live collection for the archive. */
  stepIdleMs?: number;
  /** Live events are for the socket relay only (history reads step records); older ones are deleted. */
  eventRetentionMs?: number;
}

export function startHousekeeping(opts: HousekeepingOptions = {}): { stop(): void } {
  const everyMs = opts.everyMs ?? 60_000;
  let running = false;
  const pass = async () => {
    if (running) return;
    running = true;
    try {
      // Bounded, so a record that cannot be moved never turns a pass into an endless loop.
      for (let batch = 0; batch < 20 && (await archiveIdleSteps(opts.stepIdleMs)) > 0; batch++);
      await pruneEvents(new Date(Date.now() - (opts.eventRetentionMs ?? 60 * 60_000)));
    } catch (err) {
      console.warn(`Housekeeping pass failed (it is retried in ${everyMs / 1000} s): ${(err as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void pass(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
