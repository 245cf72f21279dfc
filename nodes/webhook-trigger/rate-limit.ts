// Server-only: a token bucket per webhook. A webhook limited to N requests per minute takes a burst of N, then
// one request every 60/N seconds. In memory, so each web process counts its own requests.

// Bounds memory; the least recently refilled webhooks are forgotten first (they start with a full bucket).
const MAX_KEYS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** Takes one request for `key`: 0 when it may proceed, else the seconds to wait before the next one fits. */
  take(key: string, perMinute: number, now = Date.now()): number {
    const perMs = perMinute / 60_000;
    const last = this.buckets.get(key);
    const tokens = last ? Math.min(perMinute, last.tokens + (now - last.at) * perMs) : perMinute;
    this.buckets.delete(key);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      while (this.buckets.size > MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value as string);
      return 0;
    }
    this.buckets.set(key, { tokens, at: now });
    return Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
  }
}
