import { resolveParams } from '../../ir/params';
import { makeRunContext } from '../testing';
import { dateTime, dateTimeResult, type DateTimeParams } from './compute';
import { run } from './run';
import { spec } from './spec';

const NOW = Date.parse('2024-06-15T08:30:00.000Z');
const base: DateTimeParams = {
  operation: 'format',
  date: 'now',
  timezone: 'UTC',
  format: 'ISO',
  amount: 1,
  unit: 'days',
  otherDate: undefined,
  period: 'day',
  weekStart: 'monday',
  outputField: 'date',
};
const result = (over: Partial<DateTimeParams>) => dateTimeResult({ ...base, ...over }, () => NOW);
const berlin = (over: Partial<DateTimeParams>) => result({ timezone: 'Europe/Berlin', ...over });
const scope = (input: unknown) => ({ input, trigger: {}, node: () => undefined, run: { id: 'r', workflowId: 'w' } });

describe('date-time format', () => {
  it('formats now, ISO text and epoch milliseconds in a zone', () => {
    expect(result({})).toBe('2024-06-15T08:30:00.000Z');
    expect(berlin({ date: 'NOW' })).toBe('2024-06-15T10:30:00.000+02:00');
    expect(result({ date: NOW, timezone: 'Asia/Kolkata' })).toBe('2024-06-15T14:00:00.000+05:30');
    expect(result({ date: String(NOW), timezone: 'America/New_York' })).toBe('2024-06-15T04:30:00.000-04:00');
    expect(result({ date: '2024-06-15T10:30:00.123456+02:00' })).toBe('2024-06-15T08:30:00.123Z');
  });

  it('writes the documented tokens, quoted text and quotes', () => {
    const date = '2024-03-05T07:08:09.010Z';
    expect(result({ date, format: 'dd.MM.yyyy HH:mm:ss.SSS' })).toBe('05.03.2024 07:08:09.010');
    expect(berlin({ date, format: "yyyy-MM-dd 'at' HH:mm XXX" })).toBe('2024-03-05 at 08:08 +01:00');
    expect(result({ date, format: "HH 'o''clock' ''" })).toBe("07 o'clock '");
    expect(result({ date, format: '  ISO ' })).toBe('2024-03-05T07:08:09.010Z');
  });

  it('formats both sides of the DST changes in Europe/Berlin', () => {
    expect(berlin({ date: '2024-03-31T00:59:59.999Z' })).toBe('2024-03-31T01:59:59.999+01:00');
    expect(berlin({ date: '2024-03-31T01:00:00.000Z' })).toBe('2024-03-31T03:00:00.000+02:00');
    expect(berlin({ date: '2024-10-27T00:30:00Z', format: 'HH:mm XXX' })).toBe('02:30 +02:00');
    expect(berlin({ date: '2024-10-27T01:30:00Z', format: 'HH:mm XXX' })).toBe('02:30 +01:00');
  });

  it('reads dates without an offset on the zone’s clock, resolving DST gaps and overlaps', () => {
    expect(berlin({ date: '2024-06-15', operation: 'convert', timezone: 'UTC' })).toBe('2024-06-15T00:00:00.000Z');
    expect(berlin({ date: '2024-06-15' })).toBe('2024-06-15T00:00:00.000+02:00');
    expect(berlin({ date: '2024-01-15 09:15' })).toBe('2024-01-15T09:15:00.000+01:00');
    // 02:30 never happens on 31 March (clocks jump 02:00 → 03:00): moved forward by the gap.
    expect(berlin({ date: '2024-03-31T02:30' })).toBe('2024-03-31T03:30:00.000+02:00');
    // 02:30 happens twice on 27 October: the earlier one.
    expect(berlin({ date: '2024-10-27T02:30' })).toBe('2024-10-27T02:30:00.000+02:00');
  });

  it('converts an instant to another zone as ISO with that zone’s offset', () => {
    const date = '2024-07-01T12:00:00Z';
    expect(result({ operation: 'convert', date, timezone: 'America/Los_Angeles' })).toBe(
      '2024-07-01T05:00:00.000-07:00',
    );
    expect(result({ operation: 'convert', date, timezone: 'Australia/Lord_Howe' })).toBe(
      '2024-07-01T22:30:00.000+10:30',
    );
    expect(result({ operation: 'convert', date, timezone: 'utc', format: 'yyyy' })).toBe('2024-07-01T12:00:00.000Z');
  });
});

describe('date-time add and subtract', () => {
  it('keeps the wall time when adding days across a DST change; hours stay elapsed time', () => {
    expect(berlin({ operation: 'add', date: '2024-03-30T12:00:00+01:00' })).toBe('2024-03-31T12:00:00.000+02:00');
    expect(berlin({ operation: 'add', date: '2024-03-30T12:00:00+01:00', amount: 24, unit: 'hours' })).toBe(
      '2024-03-31T13:00:00.000+02:00',
    );
    expect(berlin({ operation: 'add', date: '2024-10-26T12:00:00+02:00' })).toBe('2024-10-27T12:00:00.000+01:00');
    expect(berlin({ operation: 'subtract', date: '2024-10-27T12:00:00+01:00', amount: 1, unit: 'weeks' })).toBe(
      '2024-10-20T12:00:00.000+02:00',
    );
    expect(berlin({ operation: 'add', date: '2024-03-30T02:30', amount: 1 })).toBe('2024-03-31T03:30:00.000+02:00');
  });

  it('clamps months and years to the end of shorter months', () => {
    expect(result({ operation: 'add', date: '2024-01-31T10:00:00Z', unit: 'months' })).toBe('2024-02-29T10:00:00.000Z');
    expect(result({ operation: 'add', date: '2023-01-31T10:00:00Z', unit: 'months' })).toBe('2023-02-28T10:00:00.000Z');
    expect(result({ operation: 'subtract', date: '2024-03-31', unit: 'months' })).toBe('2024-02-29T00:00:00.000Z');
    expect(result({ operation: 'add', date: '2024-02-29', unit: 'years' })).toBe('2025-02-28T00:00:00.000Z');
    expect(result({ operation: 'add', date: '2024-11-15', amount: 14, unit: 'months', format: 'yyyy-MM-dd' })).toBe(
      '2026-01-15',
    );
    expect(berlin({ operation: 'add', date: '2024-02-15T09:00', unit: 'months', amount: 2 })).toBe(
      '2024-04-15T09:00:00.000+02:00',
    );
  });

  it('adds fractions of elapsed units but only whole calendar units', () => {
    expect(result({ operation: 'add', date: '2024-01-01', amount: 1.5, unit: 'hours' })).toBe(
      '2024-01-01T01:30:00.000Z',
    );
    expect(result({ operation: 'subtract', date: '2024-01-01T00:00:01Z', amount: 250.4, unit: 'milliseconds' })).toBe(
      '2024-01-01T00:00:00.750Z',
    );
    expect(() => result({ operation: 'add', date: '2024-01-01', amount: 1.5, unit: 'days' })).toThrow(
      'Date & time: Amount is 1.5, but days need a whole number; use a smaller unit',
    );
  });

  it('refuses results outside years 1000 to 9999', () => {
    expect(() => result({ operation: 'add', date: '9999-06-01', unit: 'years' })).toThrow(
      'Date & time: Date + 1 years is outside the supported years 1000 to 9999',
    );
    expect(() => result({ operation: 'add', date: '2024-01-01', amount: 1e15, unit: 'months' })).toThrow(
      /outside the supported years/,
    );
    expect(() => result({ operation: 'subtract', date: '2024-01-01', amount: 1e300, unit: 'seconds' })).toThrow(
      /outside the supported years/,
    );
  });
});

describe('date-time difference', () => {
  const diff = (date: string, otherDate: unknown, unit: DateTimeParams['unit'], timezone = 'Europe/Berlin') =>
    result({ operation: 'difference', date, otherDate, unit, timezone });

  it('counts calendar days in the zone across DST, and elapsed hours', () => {
    expect(diff('2024-03-30T12:00', '2024-03-31T12:00', 'days')).toBe(1);
    expect(diff('2024-03-30T12:00', '2024-03-31T12:00', 'hours')).toBe(23);
    expect(diff('2024-03-30T12:00', '2024-03-31T11:59', 'days')).toBe(0);
    expect(diff('2024-10-27T12:00', '2024-10-26T12:00', 'days')).toBe(-1);
    expect(diff('2024-10-27T12:00', '2024-10-26T12:01', 'days')).toBe(0);
    expect(diff('2024-01-01', '2024-01-15', 'weeks')).toBe(2);
    expect(diff('2024-01-01T00:00:00Z', '2024-01-01T00:00:01.999Z', 'milliseconds')).toBe(1999);
    expect(diff('2024-01-01T00:00:00Z', '2024-01-01T00:01:59Z', 'minutes')).toBe(1);
  });

  it('counts whole months and years, truncated toward zero', () => {
    expect(diff('2024-01-31', '2024-02-29', 'months')).toBe(1);
    expect(diff('2024-01-31', '2024-02-28', 'months')).toBe(0);
    expect(diff('2024-03-15', '2024-01-16', 'months')).toBe(-1);
    expect(diff('2020-02-29', '2024-02-28', 'years')).toBe(3);
    expect(diff('2020-02-29', '2024-02-29', 'years')).toBe(4);
    expect(diff('2024-06-15', 'now', 'hours', 'UTC')).toBe(8);
  });

  it('needs a second date', () => {
    expect(() => diff('2024-01-01', undefined, 'days')).toThrow(
      'Date & time: "difference" needs a Second date (its expression may have produced nothing)',
    );
    expect(() => diff('2024-01-01', 'soon', 'days')).toThrow('Date & time: Second date "soon" is not a date');
  });
});

describe('date-time start and end of a period', () => {
  it('finds days, weeks, months and years on the zone’s clock', () => {
    const date = '2024-10-27T15:00:00+01:00'; // a Sunday, the day Berlin leaves summer time
    expect(berlin({ operation: 'startOf', date })).toBe('2024-10-27T00:00:00.000+02:00');
    expect(berlin({ operation: 'endOf', date })).toBe('2024-10-27T23:59:59.999+01:00');
    expect(berlin({ operation: 'startOf', date, period: 'week' })).toBe('2024-10-21T00:00:00.000+02:00');
    expect(berlin({ operation: 'startOf', date, period: 'week', weekStart: 'sunday' })).toBe(
      '2024-10-27T00:00:00.000+02:00',
    );
    expect(berlin({ operation: 'endOf', date, period: 'week' })).toBe('2024-10-27T23:59:59.999+01:00');
    expect(berlin({ operation: 'startOf', date, period: 'month' })).toBe('2024-10-01T00:00:00.000+02:00');
    expect(berlin({ operation: 'endOf', date, period: 'month' })).toBe('2024-10-31T23:59:59.999+01:00');
    expect(berlin({ operation: 'endOf', date: '2024-02-10', period: 'year', format: 'yyyy-MM-dd HH:mm' })).toBe(
      '2024-12-31 23:59',
    );
  });

  it('starts a day whose midnight a DST change skipped at the first time that exists', () => {
    // Chile moved its clocks from 00:00 to 01:00 on 8 September 2024.
    expect(result({ operation: 'startOf', date: '2024-09-08T12:00', timezone: 'America/Santiago' })).toBe(
      '2024-09-08T01:00:00.000-03:00',
    );
  });
});

describe('date-time bad params', () => {
  it('rejects unknown zones with a clear message, in the schema and at run time', () => {
    const parsed = spec.params.timezone.schema.safeParse('Europe/Berln');
    expect(!parsed.success && parsed.error.issues[0].message).toBe(
      '"Europe/Berln" is not an IANA timezone name; use names such as "Europe/Berlin", "America/New_York" or "UTC"',
    );
    expect(spec.params.timezone.schema.safeParse('America/Argentina/Buenos_Aires').success).toBe(true);
    expect(() => result({ timezone: 'Mars/Olympus' })).toThrow(
      'Date & time: Timezone "Mars/Olympus" is not an IANA timezone name',
    );
  });

  it('rejects format letters outside the token set and unclosed quotes', () => {
    const problem = (p: string) => {
      const parsed = spec.params.format.schema.safeParse(p);
      return parsed.success ? undefined : parsed.error.issues[0].message;
    };
    expect(problem('YYYY-MM-DD')).toMatch(/^has "Y" \(at character 1\), which is not a token; the tokens are yyyy/);
    expect(problem("yyyy 'at")).toBe('has a quote that is never closed (at character 6)');
    expect(problem('dd/MM/yyyy')).toBeUndefined();
    expect(() => result({ format: 'hh:mm a' })).toThrow('Date & time: the format "hh:mm a" has "h" (at character 1)');
  });

  it('rejects dates that are not dates, naming the param', () => {
    expect(() => result({ date: 'tomorrow' })).toThrow(
      'Date & time: Date "tomorrow" is not a date; write ISO 8601 such as "2024-03-31"',
    );
    expect(() => result({ date: '2023-02-29' })).toThrow(
      'Date & time: Date "2023-02-29" is not a real date or time of day',
    );
    expect(() => result({ date: '2024-01-01T24:00' })).toThrow(/not a real date or time of day/);
    expect(() => result({ date: '2024-01-01T10:00+25:00' })).toThrow(/impossible UTC offset "\+25:00"/);
    expect(() => result({ date: { at: 1 } })).toThrow('Date & time: Date is an object; it needs an ISO 8601 date');
    expect(() => result({ date: true })).toThrow(/Date is a boolean/);
    expect(() => result({ date: -1e17 })).toThrow('Date & time: Date is outside the supported years 1000 to 9999');
  });

  it('fails on a missing date instead of quietly using now', async () => {
    await expect(resolveParams(spec, { date: '{{ $input.createdAt }}' }, scope({}))).rejects.toThrow(
      'Param "date": is required (its expression produced no value)',
    );
    const params = await resolveParams(spec, { date: '{{ $input.createdAt }}' }, scope({ createdAt: 0 }));
    expect(params).toMatchObject({ operation: 'format', timezone: 'UTC', format: 'ISO', outputField: 'date' });
  });
});

describe('date-time output', () => {
  it('merges the result into an object input, and replaces any other input', () => {
    const params = { ...base, date: '2024-01-02T03:04:05Z', format: 'yyyy-MM-dd' };
    const input = { id: 1, date: 'old' };
    expect(dateTime(params, input, () => NOW)).toEqual({ id: 1, date: '2024-01-02' });
    expect(input).toEqual({ id: 1, date: 'old' });
    expect(dateTime({ ...params, outputField: 'meta.day' }, { id: 1 }, () => NOW)).toEqual({
      id: 1,
      meta: { day: '2024-01-02' },
    });
    expect(dateTime(params, [1, 2], () => NOW)).toBe('2024-01-02');
    expect(dateTime(params, null, () => NOW)).toBe('2024-01-02');
    expect(spec.params.outputField.schema.safeParse('a..b').success).toBe(false);
  });

  it('runs on the clock for now, as a node that may run locally but is not pure', async () => {
    expect(spec.runtime).toMatchObject({ kind: 'activity', taskQueue: 'default' });
    expect(spec.runtime.kind === 'activity' && spec.runtime.pure).toBeFalsy();
    expect(spec.runtime.kind === 'activity' && spec.runtime.localWhen?.({})).toBe(true);
    const before = Date.now();
    const out = (await run(makeRunContext(), { ...base, format: 'ISO' }, {})) as { date: string };
    expect(Date.parse(out.date)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(out.date)).toBeLessThanOrEqual(Date.now());
  });
});
