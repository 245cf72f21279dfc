import { CronError, parseCron } from './cron';

const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

describe('parseCron', () => {
  it('reads six fields with seconds first', () => {
    expect(parseCron('*/2 * * * * *')).toEqual({
      second: range(0, 58, 2),
      minute: range(0, 59),
      hour: range(0, 23),
      dayOfMonth: range(1, 31),
      month: range(1, 12),
      dayOfWeek: range(0, 6),
    });
  });

  it('reads five fields as the same without seconds, firing at second 0', () => {
    const fields = parseCron('30 9 * * MON-FRI');
    expect(fields.second).toEqual([0]);
    expect(fields.minute).toEqual([30]);
    expect(fields.hour).toEqual([9]);
    expect(fields.dayOfWeek).toEqual([1, 2, 3, 4, 5]);
  });

  it('reads lists, ranges, steps, "a/step", names in any case, 7 and ? for Sunday and any day', () => {
    const fields = parseCron('0 1-10/3,30 5/6 ? jan,Mar-may 5-7');
    expect(fields.minute).toEqual([1, 4, 7, 10, 30]);
    expect(fields.hour).toEqual([5, 11, 17, 23]);
    expect(fields.dayOfMonth).toEqual(range(1, 31));
    expect(fields.month).toEqual([1, 3, 4, 5]);
    expect(fields.dayOfWeek).toEqual([0, 5, 6]);
  });

  it('names the field, by its position as written, and what is wrong with it', () => {
    const problem = (expression: string) => {
      try {
        parseCron(expression);
        return 'no error';
      } catch (err) {
        expect(err).toBeInstanceOf(CronError);
        return (err as Error).message;
      }
    };
    expect(problem('0 0 24 * * *')).toBe('Cron field 3 (hour): 24 is out of range 0–23');
    expect(problem('0 24 * * *')).toBe('Cron field 2 (hour): 24 is out of range 0–23');
    expect(problem('* * * * FOO *')).toBe('Cron field 5 (month): "FOO" is not a number or a name such as JAN');
    expect(problem('*/0 * * * * *')).toBe(
      'Cron field 1 (second): the step in "*/0" must be a whole number of at least 1',
    );
    expect(problem('0 10-5 * * * *')).toBe('Cron field 2 (minute): the range "10-5" ends before it starts');
    expect(problem('0 1,,2 * * * *')).toMatch(/^Cron field 2 \(minute\): "" is empty or malformed/);
    expect(problem('* * * *')).toMatch(
      /has 4 fields; it needs 6 \(second minute hour day-of-month month day-of-week\)/,
    );
    expect(problem('0 0 0 30,31 2 *')).toMatch(/^Cron fields 4 and 5 \(day of month, month\): .* never fire/);
    expect(problem('0 0 0 29 2 *')).toBe('no error');
  });
});
