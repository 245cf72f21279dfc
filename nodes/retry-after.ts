// A service that says "too many requests, retry after N seconds" (Slack's 429, BambooHR's 503) is waited out inside
// the step when N is short: Temporal's own backoff knows nothing of the hint and would call again too early. A longer
// wait fails the attempt, saying how long the service asked for. Server-side only (timers).
import { setTimeout as sleep } from 'node:timers/promises';

/** Longest Retry-After a step waits out itself, in seconds. */
export const MAX_WAIT_SECONDS = 30;
/** How many times one step waits before giving up. */
const MAX_WAITS = 2;

/** Thrown by a client when the service asked it to slow down; `seconds` is its Retry-After (absent: none given). */
export class RateLimited extends Error {
  constructor(
    readonly seconds: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'RateLimited';
  }
}

/** Seconds from a Retry-After header: delta-seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Runs `call`, waiting out short rate limits (up to MAX_WAITS times); other failures and long waits are thrown. */
export async function withRetryAfter<T>(
  call: () => Promise<T>,
  signal: AbortSignal,
  onWait?: (seconds: number) => void,
): Promise<T> {
  for (let waits = 0; ; waits++) {
    try {
      return await call();
    } catch (err) {
      const seconds = err instanceof RateLimited ? (err.seconds ?? 1) : undefined;
      if (seconds === undefined || seconds > MAX_WAIT_SECONDS || waits === MAX_WAITS) throw err;
      onWait?.(seconds);
      await sleep(seconds * 1000, undefined, { signal });
    }
  }
}
