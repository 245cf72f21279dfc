// Cell values of data tables: checking a value against its column's type (with the obvious lossless conversions:
// "42" into a number column, "true" into a yes/no one), the stored form, and how conditions, sorting and search
// compare stored values. Pure: the grid editor checks cells with it before the server checks them again.
import {
  CONDITION_LABELS,
  describeColumn,
  type ColumnType,
  type ConditionOperator,
  type DataTableColumn,
} from './data-tables';

/**
 * A cell as stored: text, a number, a boolean, a date as an ISO 8601 string in UTC, JSON as its text (so keys such
 * as `$where` or `a.b` inside it never reach the store as keys), or null for no value.
 */
export type StoredCell = string | number | boolean | null;

export type CellCheck = { ok: true; stored: StoredCell } | { ok: false; message: string };

/** A value in a message: text quoted and cut, other values as JSON or their kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return value instanceof Date ? value.toISOString() : 'an object';
  return String(value);
}

const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const MAX_DATE_MS = 8.64e15;

/** Epoch ms of an ISO 8601 date or date-time (no zone: UTC); undefined for anything else, or a day that does not exist. */
export function parseDate(text: string): number | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = m.slice(1, 8);
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)];
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], ms);
  const back = new Date(utc);
  const same =
    back.getUTCFullYear() === parts[0] &&
    back.getUTCMonth() === parts[1] &&
    back.getUTCDate() === parts[2] &&
    back.getUTCHours() === parts[3] &&
    back.getUTCMinutes() === parts[4] &&
    back.getUTCSeconds() === parts[5];
  if (!same) return undefined;
  const zone = m[8];
  if (!zone || zone.toUpperCase() === 'Z') return utc;
  const digits = zone.slice(1).replace(':', '');
  const offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * (zone[0] === '-' ? -1 : 1);
  return utc - offset * 60_000;
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function checkTyped(type: ColumnType, value: unknown): { stored: StoredCell } | { problem: string } {
  const shown = describeValue(value);
  switch (type) {
    case 'string':
      if (typeof value === 'number' || typeof value === 'boolean') return { stored: String(value) };
      if (typeof value !== 'string') return { problem: `expects text, not ${shown}` };
      if (value.includes('\u0000')) return { problem: 'text may not contain the NUL character (U+0000)' };
      return { stored: value };
    case 'number': {
      const n = typeof value === 'string' && NUMBER_TEXT.test(value.trim()) ? Number(value.trim()) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) return { problem: `${shown} is not a number` };
      return { stored: Object.is(n, -0) ? 0 : n };
    }
    case 'boolean':
      if (typeof value === 'boolean') return { stored: value };
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
        return { stored: value.trim().toLowerCase() === 'true' };
      return { problem: `${shown} is not true or false` };
    case 'date': {
      const ms =
        value instanceof Date
          ? value.getTime()
          : typeof value === 'string'
            ? parseDate(value)
            : typeof value === 'number'
              ? value
              : undefined;
      if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS)
        return { problem: `${shown} is not a date; write it like 2025-03-01 or 2025-03-01T09:30:00Z` };
      return { stored: new Date(ms).toISOString() };
    }
    case 'json': {
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch (err) {
        return { problem: `cannot be stored as JSON (${(err as Error).message})` };
      }
      if (text === undefined) return { problem: `${shown} is not a JSON value` };
      return { stored: text };
    }
  }
}

/**
 * `value` checked against `column` and turned into its stored form. Absent, null and empty text are "no value",
 * refused when the column is required. Messages name the column: `Column "Age" (number): "abc" is not a number`.
 */
export function checkCell(column: Pick<DataTableColumn, 'name' | 'type' | 'required'>, value: unknown): CellCheck {
  const empty = value === undefined || value === null || value === '';
  if (empty) {
    return column.required
      ? { ok: false, message: `Column ${describeColumn(column)} is required: give it a value.` }
      : { ok: true, stored: null };
  }
  const typed = checkTyped(column.type, value);
  return 'problem' in typed
    ? { ok: false, message: `Column ${describeColumn(column)}: ${typed.problem}.` }
    : { ok: true, stored: typed.stored };
}

/** A stored cell as callers see it: JSON parsed back, everything else as stored. */
export function readCell(type: ColumnType, stored: StoredCell | undefined): unknown {
  if (stored === undefined || stored === null) return null;
  if (type !== 'json' || typeof stored !== 'string') return stored;
  try {
    return JSON.parse(stored);
  } catch {
    return stored;
  }
}

/** A stored cell as one line of text, for the grid and for search. */
export function cellText(stored: StoredCell | undefined): string {
  return stored === undefined || stored === null ? '' : String(stored);
}

const ORDERED: ReadonlySet<ColumnType> = new Set(['string', 'number', 'date']);
const TEXTUAL: ReadonlySet<ColumnType> = new Set(['string', 'json']);
const WITHOUT_VALUE: ReadonlySet<ConditionOperator> = new Set(['isEmpty', 'isNotEmpty']);

/**
 * A condition's value checked against its column: the stored form to compare with, or a message naming the column
 * and operator. `contains` takes text on text and JSON columns; ordering takes text, number and date columns.
 */
export function checkConditionValue(
  column: Pick<DataTableColumn, 'name' | 'type'>,
  operator: ConditionOperator,
  value: unknown,
): CellCheck {
  const where = `Column ${describeColumn(column)} ${CONDITION_LABELS[operator]}`;
  if (WITHOUT_VALUE.has(operator)) return { ok: true, stored: null };
  if ((operator === 'contains' || operator === 'notContains') && !TEXTUAL.has(column.type))
    return { ok: false, message: `${where}: "contains" applies to text and JSON columns only.` };
  if (['gt', 'gte', 'lt', 'lte'].includes(operator) && !ORDERED.has(column.type))
    return { ok: false, message: `${where}: ordering applies to text, number and date columns only.` };
  if (value === undefined || value === null || value === '') {
    if (operator === 'eq' || operator === 'ne') return { ok: true, stored: null };
    return { ok: false, message: `${where}: give a value to compare with.` };
  }
  if (operator === 'contains' || operator === 'notContains') {
    if (typeof value === 'object') return { ok: false, message: `${where}: give text, not ${describeValue(value)}.` };
    return { ok: true, stored: String(value) };
  }
  const typed = checkTyped(column.type, value);
  return 'problem' in typed
    ? { ok: false, message: `${where}: ${typed.problem}.` }
    : { ok: true, stored: typed.stored };
}

const isEmpty = (v: StoredCell | undefined) => v === undefined || v === null;

/** Whether a stored cell meets a checked condition (`expected` from `checkConditionValue`). */
export function cellMatches(operator: ConditionOperator, cell: StoredCell | undefined, expected: StoredCell): boolean {
  switch (operator) {
    case 'isEmpty':
      return isEmpty(cell);
    case 'isNotEmpty':
      return !isEmpty(cell);
    case 'eq':
      return expected === null ? isEmpty(cell) : cell === expected;
    case 'ne':
      return expected === null ? !isEmpty(cell) : cell !== expected;
    case 'contains':
    case 'notContains': {
      const found = !isEmpty(cell) && String(cell).toLowerCase().includes(String(expected).toLowerCase());
      return operator === 'contains' ? found : !found;
    }
    default: {
      if (isEmpty(cell) || expected === null) return false;
      const order = compareCells(cell!, expected);
      if (operator === 'gt') return order > 0;
      if (operator === 'gte') return order >= 0;
      if (operator === 'lt') return order < 0;
      return order <= 0;
    }
  }
}

/** Order of two stored cells of one column; empty cells come last. */
export function compareCells(a: StoredCell | undefined, b: StoredCell | undefined): number {
  if (isEmpty(a) || isEmpty(b)) return isEmpty(a) === isEmpty(b) ? 0 : isEmpty(a) ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
