import { MAX_DELAY_MS, durationMs, spec } from './spec';

describe('delay', () => {
  it('converts amount and unit to milliseconds', () => {
    expect(durationMs({ amount: 0, unit: 'seconds' })).toBe(0);
    expect(durationMs({ amount: 1.5, unit: 'seconds' })).toBe(1500);
    expect(durationMs({ amount: 2, unit: 'minutes' })).toBe(120_000);
    expect(durationMs({ amount: 3, unit: 'hours' })).toBe(10_800_000);
    expect(durationMs({ amount: 365, unit: 'days' })).toBe(MAX_DELAY_MS);
  });

  it('refuses more than 365 days and negative amounts', () => {
    expect(() => durationMs({ amount: 366, unit: 'days' })).toThrow(
      'Delay: 366 days is longer than the 365-day maximum',
    );
    expect(() => durationMs({ amount: -1, unit: 'seconds' })).toThrow(/maximum/);
    expect(spec.params.amount.schema.safeParse(-1).success).toBe(false);
  });

  it('is interpreted by the workflow as a durable timer', () => {
    expect(spec.runtime.kind).toBe('delay');
  });
});
