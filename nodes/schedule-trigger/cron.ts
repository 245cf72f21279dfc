// Cron expressions of the Schedule trigger: 6 fields with seconds first (`*/2 * * * * *`), or the classic 5 without
// seconds. Parsed here, not by Temporal: Temporal reads a 6-field string as minute … day-of-week year, so Baton turns
// each field into the set of values it matches and hands Temporal those (temporal/schedules.ts, as calendars).
import type { CronFields } from '../triggers';

interface FieldDef {
  key: keyof CronFields;
  label: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly FieldDef[] = [
  { key: 'second', label: 'second', min: 0, max: 59 },
  { key: 'minute', label: 'minute', min: 0, max: 59 },
  { key: 'hour', label: 'hour', min: 0, max: 23 },
  { key: 'dayOfMonth', label: 'day of month', min: 1, max: 31 },
  { key: 'month', label: 'month', min: 1, max: 12, names: MONTH_NAMES },
  // 7 is Sunday too, as in most crons.
  { key: 'dayOfWeek', label: 'day of week', min: 0, max: 7, names: DAY_NAMES },
];

export const CRON_FORMAT = 'second minute hour day-of-month month day-of-week';

/** A cron expression Baton cannot read; the message names the field and the part that is wrong. */
export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronError';
  }
}

function parseValue(text: string, def: FieldDef, where: string): number {
  const named = def.names?.indexOf(text.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + (def.key === 'month' ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(value)) {
    const names = def.names ? ` or a name such as ${def.names[0]}` : '';
    throw new CronError(`${where}: "${text}" is not a number${names}`);
  }
  if (value < def.min || value > def.max)
    throw new CronError(`${where}: ${value} is out of range ${def.min}–${def.max}`);
  return value;
}

function parseField(text: string, def: FieldDef, position: number): number[] {
  const where = `Cron field ${position} (${def.label})`;
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^([^/]+)(?:\/(.+))?$/.exec(part);
    if (!match) throw new CronError(`${where}: "${part}" is empty or malformed; use *, 5, 1-5, */15 or 1-30/5`);
    const [, range, stepText] = match;
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1)
        throw new CronError(`${where}: the step in "${part}" must be a whole number of at least 1`);
      step = Number(stepText);
    }
    let start: number;
    let end: number;
    if (range === '*' || range === '?') {
      [start, end] = [def.min, def.key === 'dayOfWeek' ? 6 : def.max];
    } else if (range.includes('-')) {
      const [from, to, extra] = range.split('-');
      if (extra !== undefined || !from || !to) throw new CronError(`${where}: "${range}" is not a range like 1-5`);
      start = parseValue(from, def, where);
      end = parseValue(to, def, where);
      if (end < start) throw new CronError(`${where}: the range "${range}" ends before it starts`);
    } else {
      start = parseValue(range, def, where);
      // As in most crons, "5/15" means from 5 to the end in steps of 15.
      end = stepText === undefined ? start : def.max;
    }
    for (let v = start; v <= end; v += step) values.add(def.key === 'dayOfWeek' ? v % 7 : v);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * The values each field matches. Day of month and day of week must both match a day (Temporal's rule; classic
 * cron fires when either does). Throws CronError naming the field.
 */
export function parseCron(expression: string): CronFields {
  const parts = expression.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== 5 && parts.length !== 6)
    throw new CronError(
      `Cron expression has ${parts.length} field${parts.length === 1 ? '' : 's'}; it needs 6 (${CRON_FORMAT}) ` +
        'or 5 (the same without seconds)',
    );
  const fields = parts.length === 6 ? parts : ['0', ...parts];
  const out = {} as CronFields;
  // Positions count the fields as written, so a 5-field expression's first field is field 1 (minute).
  const shift = parts.length === 6 ? 1 : 0;
  FIELDS.forEach((def, i) => (out[def.key] = parseField(fields[i], def, i + shift)));
  if (!out.month.some((m) => out.dayOfMonth.some((d) => d <= DAYS_IN_MONTH[m - 1])))
    throw new CronError(
      `Cron fields ${3 + shift} and ${4 + shift} (day of month, month): no month listed has any of the days listed, ` +
        'so it would never fire',
    );
  return out;
}

// February counts its leap day: an expression for the 29th fires in leap years.
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
