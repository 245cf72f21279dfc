// The times a schedule fires at, found the way the Temporal server finds them, for the editor's preview and to count
// the slots of a backfill before asking Temporal for it. Jitter is left out: Temporal draws it.
//
// The server walks wall-clock times in the schedule's zone and turns each into an instant as Go's time.Date does
// (zoned-time.ts). Around daylight-saving changes that walk has quirks this file reproduces, because a preview that
// disagrees with what then happens is worse than none: a wall time the clock skips does not fire; when the hour
// after a matching hour starts more than an hour later (the clocks went back), the matching hour is walked a second
// time, an hour later; and a search that starts in the second copy of a repeated hour stays an hour later until
// that hour ends. Tests compare this with the server's own list (temporal/schedules.test.ts).
import type { CronFields, ScheduleSettings } from '../triggers';
import { wallTimeAt, wallTimeToInstant, type WallTime } from './zoned-time';

const HOUR_MS = 3_600_000;
// The server stops looking for calendar matches after this year.
const LAST_YEAR = 2100;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const weekday = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day)).getUTCDay();

/** Where a search starts: the wall time of the last fire time (or of `after`), and whether it is an hour late. */
interface SearchStart {
  wall: WallTime;
  secondCopy: boolean;
}

/**
 * The first fire time of a matching hour, at or after `from` (minute and second; the second may be 60) in it, moved
 * by `shift`; undefined when none is left, 'skipped' when the clock skips the wall time reached.
 */
function firstInHour(
  fields: CronFields,
  timeZone: string,
  day: Omit<WallTime, 'hour' | 'minute' | 'second'>,
  hour: number,
  from: { minute: number; second: number } | undefined,
  shift: number,
): number | 'skipped' | undefined {
  for (const minute of fields.minute) {
    if (from && minute < from.minute) continue;
    for (const second of fields.second) {
      if (from && minute === from.minute && second < from.second) continue;
      const instant = wallTimeToInstant(timeZone, { ...day, hour, minute, second });
      // The clock skipped this wall time: the rest of the hour is skipped too.
      if (wallTimeAt(timeZone, instant).hour !== hour) return 'skipped';
      return instant + shift;
    }
  }
  return undefined;
}

/** The first fire time after the search start's wall time, or undefined when there is none up to LAST_YEAR. */
function nextCronTime(fields: CronFields, timeZone: string, start: SearchStart): number | undefined {
  const { wall } = start;
  for (let year = wall.year; year <= LAST_YEAR; year++) {
    for (const month of fields.month) {
      if (year === wall.year && month < wall.month) continue;
      for (const day of fields.dayOfMonth) {
        const startDay = year === wall.year && month === wall.month && day === wall.day;
        if (day > daysIn(year, month) || (year === wall.year && month === wall.month && day < wall.day)) continue;
        if (!fields.dayOfWeek.includes(weekday(year, month, day))) continue;
        const date = { year, month, day };
        for (const hour of fields.hour) {
          if (startDay && hour < wall.hour) continue;
          const startHour = startDay && hour === wall.hour;
          const from = startHour ? { minute: wall.minute, second: wall.second + 1 } : undefined;
          const firstPass = startHour && start.secondCopy ? HOUR_MS : 0;
          const found = firstInHour(fields, timeZone, date, hour, from, firstPass);
          if (typeof found === 'number') return found;
          if (found === 'skipped' || firstPass) continue;
          const repeated =
            wallTimeToInstant(timeZone, { ...date, hour: hour + 1, minute: 0, second: 0 }) -
              wallTimeToInstant(timeZone, { ...date, hour, minute: 0, second: 0 }) >
            HOUR_MS;
          if (!repeated) continue;
          const again = firstInHour(fields, timeZone, date, hour, undefined, HOUR_MS);
          if (typeof again === 'number') return again;
        }
      }
    }
  }
  return undefined;
}

function* cronTimes(fields: CronFields, timeZone: string, after: number): Generator<number> {
  let t = Math.floor(after / 1000) * 1000;
  for (;;) {
    const wall = wallTimeAt(timeZone, t);
    const secondCopy = wallTimeAt(timeZone, t - HOUR_MS).hour === wall.hour;
    const next = nextCronTime(fields, timeZone, { wall, secondCopy });
    if (next === undefined) return;
    if (next > t) yield next;
    t = Math.max(next, t + 1000);
  }
}

function* intervalTimes(everySeconds: number, after: number): Generator<number> {
  const every = everySeconds * 1000;
  for (let t = (Math.floor(after / every) + 1) * every; ; t += every) yield t;
}

/** Fire times strictly after `after`, in order, within the schedule's start and end dates (both included). */
export function* fireTimes(settings: ScheduleSettings, after: Date): Generator<Date> {
  const endAt = settings.endAt?.getTime() ?? Infinity;
  // A second before the start date, so a fire time right on it counts, as the server does.
  const from = Math.max(after.getTime(), (settings.startAt?.getTime() ?? -Infinity) - 1000);
  const { timing } = settings;
  const times =
    timing.kind === 'cron'
      ? cronTimes(timing.fields, settings.timeZone, from)
      : intervalTimes(timing.everySeconds, from);
  for (const t of times) {
    if (t > endAt) return;
    yield new Date(t);
  }
}

/** The next `count` fire times after `after`. */
export function nextFireTimes(settings: ScheduleSettings, after: Date, count: number): Date[] {
  const out: Date[] = [];
  if (count <= 0) return out;
  for (const t of fireTimes(settings, after)) {
    out.push(t);
    if (out.length >= count) break;
  }
  return out;
}

/** Fire times from `from` to `to`, both included, stopping after `limit` of them. */
export function fireTimesBetween(settings: ScheduleSettings, from: Date, to: Date, limit: number): Date[] {
  const out: Date[] = [];
  for (const t of fireTimes(settings, new Date(from.getTime() - 1000))) {
    if (t.getTime() > to.getTime() || out.length >= limit) break;
    out.push(t);
  }
  return out;
}
