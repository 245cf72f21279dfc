import type { ScheduleSettings } from '../triggers';
import { parseCron } from './cron';
import { fireTimesBetween, nextFireTimes } from './fire-times';

const cron = (expression: string, timeZone: string, extra: Partial<ScheduleSettings> = {}): ScheduleSettings => ({
  timing: { kind: 'cron', expression, fields: parseCron(expression) },
  timeZone,
  jitterMs: 0,
  overlap: 'skip',
  ...extra,
});
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('next fire times across daylight-saving changes', () => {
  it('skips 02:30 on the day Berlin springs forward (2026-03-29), and the offset moves from +1 to +2', () => {
    const times = nextFireTimes(cron('0 30 2 * * *', 'Europe/Berlin'), new Date('2026-03-27T12:00:00Z'), 4);
    expect(iso(times)).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-30T00:30:00.000Z', // 02:30 CEST: 03-29 has no 02:30
      '2026-03-31T00:30:00.000Z',
      '2026-04-01T00:30:00.000Z',
    ]);
  });

  it('fires 02:30 once on the day Berlin falls back (2026-10-25), at its second occurrence, as Temporal does', () => {
    const times = nextFireTimes(cron('0 30 2 * * *', 'Europe/Berlin'), new Date('2026-10-23T12:00:00Z'), 4);
    expect(iso(times)).toEqual([
      '2026-10-24T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T01:30:00.000Z', // 02:30 CET, the repeated hour's second pass
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
  });

  it('fires both 01:30s on the day New York falls back (2026-11-01), as Temporal does west of UTC', () => {
    const times = nextFireTimes(cron('0 30 1 * * *', 'America/New_York'), new Date('2026-10-31T00:00:00Z'), 4);
    expect(iso(times)).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z', // 01:30 EDT
      '2026-11-01T06:30:00.000Z', // 01:30 EST
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('walks hourly schedules through the Berlin changes as the Temporal server does', () => {
    const spring = nextFireTimes(cron('0 0 * * * *', 'Europe/Berlin'), new Date('2026-03-29T00:30:00Z'), 3);
    // 02:00 does not exist that day: 01:00 CET (00:00Z) is followed by 03:00 CEST (01:00Z).
    expect(iso(spring)).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z', '2026-03-29T03:00:00.000Z']);
    const fall = nextFireTimes(cron('0 0 * * * *', 'Europe/Berlin'), new Date('2026-10-24T22:30:00Z'), 4);
    // The server walks 01:00 a second time an hour later (00:00Z, 02:00 CEST). The next search starts after that
    // wall time, 02:00, so 02:00 CET (01:00Z) is never reached.
    expect(iso(fall)).toEqual([
      '2026-10-24T23:00:00.000Z',
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T03:00:00.000Z',
    ]);
  });
});

describe('fire times', () => {
  it('reads day of month and day of week together (both must match)', () => {
    // Friday the 13th, in UTC.
    const times = nextFireTimes(cron('0 0 12 13 * FRI', 'UTC'), new Date('2026-01-01T00:00:00Z'), 3);
    expect(iso(times)).toEqual(['2026-02-13T12:00:00.000Z', '2026-03-13T12:00:00.000Z', '2026-11-13T12:00:00.000Z']);
  });

  it('counts intervals from the Unix epoch, strictly after the given time', () => {
    const every90s: ScheduleSettings = {
      ...cron('* * * * * *', 'UTC'),
      timing: { kind: 'interval', everySeconds: 90 },
    };
    expect(iso(nextFireTimes(every90s, new Date('2026-01-01T00:00:00Z'), 3))).toEqual([
      '2026-01-01T00:01:30.000Z',
      '2026-01-01T00:03:00.000Z',
      '2026-01-01T00:04:30.000Z',
    ]);
  });

  it('keeps within the start and end dates, both included', () => {
    const bounded = cron('0 0 * * * *', 'UTC', {
      startAt: new Date('2026-05-01T03:00:00Z'),
      endAt: new Date('2026-05-01T05:00:00Z'),
    });
    expect(iso(nextFireTimes(bounded, new Date('2026-01-01T00:00:00Z'), 10))).toEqual([
      '2026-05-01T03:00:00.000Z',
      '2026-05-01T04:00:00.000Z',
      '2026-05-01T05:00:00.000Z',
    ]);
  });

  it('lists the slots of a range with both ends included, up to a limit', () => {
    const everyTwo = cron('*/2 * * * * *', 'UTC');
    const from = new Date('2026-06-01T10:00:00Z');
    expect(fireTimesBetween(everyTwo, from, new Date('2026-06-01T10:00:10Z'), 100)).toHaveLength(6);
    expect(fireTimesBetween(everyTwo, from, new Date('2026-06-01T11:00:00Z'), 1001)).toHaveLength(1001);
  });
});
