// Admission control for express runs: they hold memory and CPU in the web process, so at most
// BATON_EXPRESS_MAX_CONCURRENCY run at once in this process; beyond that the webhook answers 503 + Retry-After.
// Express runs wait for no worker, so the worker backlog (app/lib/admission.server.ts) does not bound them.

const DEFAULT_MAX_CONCURRENCY = 64;
export const EXPRESS_RETRY_AFTER_SECONDS = 1;

// One count per process, whichever copy of this module a caller loaded.
const SHARED: unique symbol = Symbol.for('baton.express-runs');
const running = ((globalThis as { [SHARED]?: { count: number } })[SHARED] ??= { count: 0 });

/** BATON_EXPRESS_MAX_CONCURRENCY: express runs allowed in flight in this process at once (at least 1). */
export function maxExpressConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BATON_EXPRESS_MAX_CONCURRENCY;
  if (raw === undefined || raw === '') return DEFAULT_MAX_CONCURRENCY;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`BATON_EXPRESS_MAX_CONCURRENCY is "${raw}"; set a whole number of runs, 1 or more.`);
  return n;
}

/** A release function when a slot is free, or undefined when the process is at its limit. */
export function takeExpressSlot(limit = maxExpressConcurrency()): (() => void) | undefined {
  if (running.count >= limit) return undefined;
  running.count++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    running.count--;
  };
}
