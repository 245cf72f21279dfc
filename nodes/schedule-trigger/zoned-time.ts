// Wall-clock time in an IANA time zone, with the zone rules of the JavaScript runtime (Intl), for schedule previews.
// A wall time is turned into an instant the way the Temporal server does it (Go's time.Date), so the preview lists
// the instants the server will fire at, across daylight-saving changes too.

/** A local date and time in some zone; month 1–12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The zone's name as the runtime spells it ("europe/berlin" → "Europe/Berlin"), or undefined when it knows no such
 * IANA zone. The Temporal server reads names case-sensitively, so schedules get this spelling.
 */
export function canonicalTimeZone(timeZone: string): string | undefined {
  if (!timeZone || timeZone.length > 64) return undefined;
  try {
    return formatter(timeZone).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export const isTimeZone = (timeZone: string): boolean => canonicalTimeZone(timeZone) !== undefined;

/** The wall time at `instant` (ms) in `timeZone`. */
export function wallTimeAt(timeZone: string, instant: number): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

const asUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** How far the zone's clocks are ahead of UTC at `instant`, in ms (whole seconds). */
export function offsetAt(timeZone: string, instant: number): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return asUtc(wallTimeAt(timeZone, whole)) - whole;
}

/**
 * The instant of a wall time, as Go's time.Date (and so the Temporal server) picks it: the zone's offset at the wall
 * time read as UTC, unless that lands outside the offset's period. A time in a spring-forward gap comes out an hour
 * off (callers check the hour); a time that occurs twice comes out as one of its two instants, which one depending
 * on the side of UTC the zone is on.
 */
export function wallTimeToInstant(timeZone: string, wall: WallTime): number {
  const local = asUtc(wall);
  const guess = offsetAt(timeZone, local);
  const actual = offsetAt(timeZone, local - guess);
  return local - (actual === guess ? guess : actual);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(Z|[+-]\d{2}:\d{2})?$/;

/** The format `parseDateTime` reads, for messages. */
export const DATE_TIME_HINT =
  'an ISO date or date-time such as 2027-01-31 or 2027-01-31T09:00, optionally ending in Z or +01:00';

/**
 * An ISO date or date-time. With `Z` or an offset it names an instant; without, it is a wall time in `timeZone`.
 * Undefined when the text is not such a date or names a day that does not exist.
 */
export function parseDateTime(text: string, timeZone: string): Date | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const wall: WallTime = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
  };
  const check = new Date(asUtc(wall));
  if (
    wall.hour > 23 ||
    wall.minute > 59 ||
    wall.second > 59 ||
    check.getUTCMonth() + 1 !== wall.month ||
    check.getUTCDate() !== wall.day
  )
    return undefined;
  const zone = m[7];
  if (zone === undefined) return new Date(wallTimeToInstant(timeZone, wall));
  if (zone === 'Z') return check;
  const sign = zone[0] === '-' ? -1 : 1;
  const offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  return new Date(check.getTime() - offset);
}
