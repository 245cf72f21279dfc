// IANA time zones through Intl: a zone's wall clock at an instant, and the instant of a wall-clock time in a zone.
// Wall times are carried as "wall milliseconds": the wall clock's fields read as if they were UTC.
import { NodeError } from '../errors';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Instants Date & time accepts: years 1000 to 9999 in UTC, so wall clocks never need BC eras or 0–99 years. */
export const MIN_INSTANT = Date.UTC(1000, 0, 1);
export const MAX_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const FORMATTER_CACHE_SIZE = 100;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size >= FORMATTER_CACHE_SIZE) formatters.clear();
    formatters.set(zone, f);
  }
  return f;
}

/** Why `zone` is not usable, or undefined when Intl knows it. */
export function zoneProblem(zone: string): string | undefined {
  if (zone.trim() === '') return 'is empty; use an IANA timezone name such as "Europe/Berlin" or "UTC"';
  try {
    formatter(zone);
    return undefined;
  } catch {
    return `"${zone}" is not an IANA timezone name; use names such as "Europe/Berlin", "America/New_York" or "UTC"`;
  }
}

export function checkedZone(zone: string): string {
  const problem = zoneProblem(zone);
  if (problem) throw new NodeError(`Date & time: Timezone ${problem}`, { code: 'param-invalid', retryable: false });
  return zone;
}

/** The zone's UTC offset at `instant`, in ms (Berlin in summer: +2 h). */
export function offsetAt(instant: number, zone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
  const wholeSeconds = instant - (((instant % 1000) + 1000) % 1000);
  return wall - wholeSeconds;
}

export const wallAt = (instant: number, zone: string): number => instant + offsetAt(instant, zone);

/**
 * The instant at which the zone's clock shows `wall`. As Temporal's "compatible" disambiguation: a time that
 * occurs twice (clocks set back) is its earlier occurrence, and a time skipped (clocks set forward) is moved
 * forward by the gap, so 02:30 on a spring-forward night in Berlin is 03:30.
 */
export function instantAt(wall: number, zone: string): number {
  // No zone changes its offset twice within two days, so the offsets a day either side are the only candidates.
  const before = offsetAt(wall - DAY, zone);
  const after = offsetAt(wall + DAY, zone);
  const valid = [wall - before, wall - after].filter((t) => offsetAt(t, zone) === wall - t);
  return valid.length > 0 ? Math.min(...valid) : wall - before;
}
