// The time off inputs of a BambooHR step: a period of YYYY-MM-DD days, time off type IDs and request statuses, as
// the time off endpoints take them, checked and reported by the node field that holds them.
import { BambooFieldError, dayOf } from './fields';

/** The statuses Get Time Off Requests filters on (its spelling of "superseded"). */
const STATUSES = new Set(['approved', 'denied', 'superceded', 'requested', 'canceled']);

/** `approved, requested` → `approved,requested`; empty: no filter. */
export function statusFilterOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const statuses = String(value)
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((s) => s.toLowerCase());
  const unknown = statuses.find((s) => !STATUSES.has(s));
  if (unknown !== undefined) {
    throw new BambooFieldError(
      'Statuses',
      `${JSON.stringify(unknown.slice(0, 40))} is not one of ${[...STATUSES].join(', ')}`,
    );
  }
  return statuses.join(',') || undefined;
}

/** Time off type IDs, by commas; `single`: exactly one (adding a request). */
export function typeIdsOf(value: unknown, single: boolean): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (single) throw new BambooFieldError('Time off type ID', 'is required');
    return undefined;
  }
  const ids = String(value)
    .split(/[\s,]+/)
    .filter(Boolean);
  if (ids.some((id) => !/^\d{1,12}$/.test(id)) || (single && ids.length !== 1)) {
    throw new BambooFieldError(
      'Time off type ID',
      `must be ${single ? 'one ID' : 'IDs'} of time off types (digits, like 78), not ${JSON.stringify(String(value).slice(0, 40))}`,
    );
  }
  return ids.join(',');
}

/** The first and last day of a period, in order. */
export function periodOf(from: unknown, to: unknown): { start: string; end: string } {
  const start = dayOf(from, 'From');
  const end = dayOf(to, 'To');
  if (end < start) throw new BambooFieldError('To', `${end} is before the first day, ${start}`);
  return { start, end };
}
