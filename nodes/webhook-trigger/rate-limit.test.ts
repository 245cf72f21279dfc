import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('takes a burst of the limit, then one request per 60/limit seconds, and says how long to wait', () => {
    const limiter = new RateLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(limiter.take('hook', 3, t0)).toBe(0);
    expect(limiter.take('hook', 3, t0)).toBe(20);
    expect(limiter.take('hook', 3, t0 + 19_000)).toBe(1);
    expect(limiter.take('hook', 3, t0 + 20_000)).toBe(0);
    expect(limiter.take('hook', 3, t0 + 20_000)).toBe(20);
  });

  it('counts each webhook on its own', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('a', 1, 0)).toBe(0);
    expect(limiter.take('a', 1, 0)).toBe(60);
    expect(limiter.take('b', 1, 0)).toBe(0);
  });
});
