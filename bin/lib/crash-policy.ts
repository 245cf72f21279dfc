// When `baton dev` stops restarting a crashed web or worker process: a crash loop is BATON_MAX_CRASHES crashes of
// one process within BATON_CRASH_WINDOW_SECONDS (5 in 2 minutes by default). Restarts back off 0.5 s, 1 s, 2 s…
export interface CrashPolicy {
  maxCrashes: number;
  windowMs: number;
}

const firstDelayMs = 500;
const maxDelayMs = 30_000;

export function crashPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): CrashPolicy {
  return {
    maxCrashes: positiveNumber(env, 'BATON_MAX_CRASHES', 5, { whole: true }),
    windowMs: positiveNumber(env, 'BATON_CRASH_WINDOW_SECONDS', 120, { whole: false }) * 1000,
  };
}

/** The wait before the restart that follows the `crashesInWindow`-th recent crash: 0.5 s, doubling, capped at 30 s. */
export function restartDelayMs(crashesInWindow: number): number {
  return Math.min(firstDelayMs * 2 ** Math.max(crashesInWindow - 1, 0), maxDelayMs);
}

/** Crash times of one process; `record` answers how many fall within the window, this one included. */
export function createCrashHistory(policy: CrashPolicy) {
  const times: number[] = [];
  return {
    record(at: number): number {
      times.push(at);
      while (times[0] <= at - policy.windowMs) times.shift();
      return times.length;
    },
  };
}

export function describeWindow(policy: CrashPolicy): string {
  const seconds = policy.windowMs / 1000;
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, { whole }: { whole: boolean }) {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (whole && !Number.isInteger(value))) {
    throw new Error(
      `${name}="${raw}" is not a ${whole ? 'whole number' : 'number'} above 0. ` +
        `Set it to one (for example ${name}=${fallback}) or unset it to use the default, ${fallback}.`,
    );
  }
  return value;
}
