// Reads a date param: ISO 8601 text, epoch milliseconds (a number or a string of digits), or "now".
import { NodeError } from '../errors';
import { MAX_INSTANT, MIN_INSTANT, instantAt } from './zone';

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const invalid = (label: string, message: string) =>
  new NodeError(`Date & time: ${label} ${message}`, { code: 'param-invalid', retryable: false });

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseOffset(text: string): number | undefined {
  if (/^z$/i.test(text)) return 0;
  const [, sign, hours, minutes = '0'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(text) ?? [];
  if (Number(hours) > 18 || Number(minutes) > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
}

/** An ISO 8601 date or date-time; without an offset it is the wall time in `zone`. */
function parseIso(text: string, zone: string, label: string): number {
  const m = ISO_DATE.exec(text);
  if (!m) {
    throw invalid(
      label,
      `"${text.length > 60 ? `${text.slice(0, 60)}…` : text}" is not a date; write ISO 8601 such as ` +
        '"2024-03-31", "2024-03-31T10:00" or "2024-03-31T10:00:00Z", epoch milliseconds, or "now"',
    );
  }
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((v) => (v ? Number(v) : 0));
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
    throw invalid(label, `"${text}" is not a real date or time of day`);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (!m[8]) return instantAt(wall, zone);
  const offset = parseOffset(m[8]);
  if (offset === undefined) throw invalid(label, `"${text}" has an impossible UTC offset "${m[8]}"`);
  return wall - offset;
}

/**
 * The instant `value` names. `label` is the param's label, for error messages; `now` is used for "now" only.
 */
export function parseDate(value: unknown, zone: string, label: string, now: () => number): number {
  let instant: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(label, `is ${value}, which is not a date`);
    instant = Math.trunc(value);
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (/^now$/i.test(text)) instant = now();
    else if (/^-?\d+$/.test(text)) instant = Number(text);
    else instant = parseIso(text, zone, label);
  } else {
    const kind =
      value === null || value === undefined
        ? 'empty'
        : Array.isArray(value)
          ? 'a list'
          : typeof value === 'object'
            ? 'an object'
            : `a ${typeof value}`;
    throw invalid(label, `is ${kind}; it needs an ISO 8601 date, epoch milliseconds or "now"`);
  }
  return checkedRange(instant, label);
}

export function checkedRange(instant: number, label: string): number {
  if (!(instant >= MIN_INSTANT && instant <= MAX_INSTANT)) {
    const ms = Number.isFinite(instant) ? ` (${instant} epoch milliseconds)` : '';
    throw invalid(label, `is outside the supported years 1000 to 9999${ms}`);
  }
  return instant;
}
