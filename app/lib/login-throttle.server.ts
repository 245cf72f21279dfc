// Slows down password guessing: after MAX_FAILURES failed attempts for one key (email + client IP) within
// WINDOW_MS, further attempts are refused until the oldest failure leaves the window. Success resets the key.
//
// The state is in memory, so it is per web process: several web processes (or a restart) each allow their
// own MAX_FAILURES. That is enough for a single-process install; a shared store would be needed otherwise.
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;
// Bounds memory when someone sprays many emails/IPs; the oldest keys are dropped first.
const MAX_KEYS = 10_000;

const failures = new Map<string, number[]>();

export function throttleKey(scope: string, email: string, clientIp: string): string {
  return `${scope}\n${email.trim().toLowerCase()}\n${clientIp}`;
}

function recent(key: string, now: number): number[] {
  const times = (failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
  if (times.length) failures.set(key, times);
  else failures.delete(key);
  return times;
}

/** Seconds until another attempt is allowed, or 0 when the key may try now. */
export function retryAfterSeconds(key: string, now = Date.now()): number {
  const times = recent(key, now);
  if (times.length < MAX_FAILURES) return 0;
  return Math.max(1, Math.ceil((times[times.length - MAX_FAILURES] + WINDOW_MS - now) / 1000));
}

export function recordFailure(key: string, now = Date.now()): void {
  const times = recent(key, now);
  failures.delete(key);
  failures.set(key, [...times, now].slice(-MAX_FAILURES));
  while (failures.size > MAX_KEYS) failures.delete(failures.keys().next().value as string);
}

export function resetFailures(key: string): void {
  failures.delete(key);
}

export function throttledMessage(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}
