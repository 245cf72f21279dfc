// Calendar arithmetic in a time zone. Hours and smaller are elapsed time; days and larger move the wall clock,
// so adding 1 day across a DST change keeps the time of day (and lasts 23 or 25 hours).
import { NodeError } from '../errors';
import { DAY, MAX_INSTANT, MIN_INSTANT, instantAt, wallAt } from './zone';

export const DURATION_UNITS = [
  'milliseconds',
  'seconds',
  'minutes',
  'hours',
  'days',
  'weeks',
  'months',
  'years',
] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export const PERIODS = ['day', 'week', 'month', 'year'] as const;
export type Period = (typeof PERIODS)[number];

export const WEEK_STARTS = ['monday', 'sunday'] as const;
export type WeekStart = (typeof WEEK_STARTS)[number];

const ELAPSED_MS: Partial<Record<DurationUnit, number>> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
};

/** Moves a wall time by whole days or months; a day past the end of the month becomes its last day (Jan 31 + 1 month = Feb 29). */
function shiftWall(wall: number, days: number, months: number): number {
  const d = new Date(wall);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay) + days;
  return Date.UTC(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/** `instant` plus `amount` units; calendar units need a whole amount. */
export function addDuration(instant: number, amount: number, unit: DurationUnit, zone: string): number {
  const elapsed = ELAPSED_MS[unit];
  if (elapsed !== undefined) return Math.round(instant + amount * elapsed);
  if (!Number.isInteger(amount)) {
    throw new NodeError(`Date & time: Amount is ${amount}, but ${unit} need a whole number; use a smaller unit`, {
      code: 'param-invalid',
      retryable: false,
    });
  }
  const days = unit === 'days' ? amount : unit === 'weeks' ? amount * 7 : 0;
  const months = unit === 'months' ? amount : unit === 'years' ? amount * 12 : 0;
  const wall = shiftWall(wallAt(instant, zone), days, months);
  // Out of range (NaN past Date's own range) is left for the caller to reject; zones are not consulted there.
  return wall >= MIN_INSTANT - DAY && wall <= MAX_INSTANT + DAY ? instantAt(wall, zone) : wall;
}

/**
 * `to − from` in whole units, truncated toward zero (negative when `to` is earlier). Days and larger count
 * calendar units in `zone`: from 12:00 one day to 12:00 the next is 1 day even when DST made it 23 hours.
 */
export function difference(from: number, to: number, unit: DurationUnit, zone: string): number {
  const elapsed = ELAPSED_MS[unit];
  if (elapsed !== undefined) return Math.trunc((to - from) / elapsed);
  const calendarUnit = unit === 'days' || unit === 'weeks' ? 'days' : 'months';
  const a = new Date(wallAt(from, zone));
  const b = new Date(wallAt(to, zone));
  // A first guess from the calendar fields, at most one too far in magnitude, then corrected.
  let count =
    calendarUnit === 'days'
      ? Math.round(
          (Date.UTC(b.getUTCFullYear(), b.getUTCMonth(), b.getUTCDate()) -
            Date.UTC(a.getUTCFullYear(), a.getUTCMonth(), a.getUTCDate())) /
            DAY,
        )
      : (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
  const sign = to >= from ? 1 : -1;
  while (count !== 0 && sign * (addDuration(from, count, calendarUnit, zone) - to) > 0) count -= sign;
  if (unit === 'weeks') return Math.trunc(count / 7);
  if (unit === 'years') return Math.trunc(count / 12);
  return count;
}

/** The first instant of the day, week, month or year that holds `instant`, in `zone`. */
export function startOf(instant: number, period: Period, zone: string, weekStart: WeekStart): number {
  return instantAt(startWall(wallAt(instant, zone), period, weekStart), zone);
}

/** The last millisecond of the period that holds `instant`, in `zone`. */
export function endOf(instant: number, period: Period, zone: string, weekStart: WeekStart): number {
  const start = startWall(wallAt(instant, zone), period, weekStart);
  const next =
    period === 'day'
      ? shiftWall(start, 1, 0)
      : period === 'week'
        ? shiftWall(start, 7, 0)
        : shiftWall(start, 0, period === 'month' ? 1 : 12);
  return instantAt(next, zone) - 1;
}

function startWall(wall: number, period: Period, weekStart: WeekStart): number {
  const d = new Date(wall);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const day = d.getUTCDate();
  switch (period) {
    case 'day':
      return Date.UTC(year, month, day);
    case 'week': {
      const first = weekStart === 'monday' ? 1 : 0;
      return Date.UTC(year, month, day - ((d.getUTCDay() - first + 7) % 7));
    }
    case 'month':
      return Date.UTC(year, month, 1);
    case 'year':
      return Date.UTC(year, 0, 1);
  }
}
