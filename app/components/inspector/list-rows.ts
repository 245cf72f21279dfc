// The rows editor's model for `list` params (a Switch's rules): which values it can show as rows, what a new row
// holds, and where the compiler's errors go. Pure, so these rules are tested without a browser.
import type { ListField } from '../../../nodes/define';

export type Row = Record<string, unknown>;

/** A problem located inside one param: `path` is relative to the param (e.g. [1, 'operator']). */
export interface FieldError {
  path: Array<string | number>;
  message: string;
}

const isRow = (v: unknown): v is Row => v !== null && typeof v === 'object' && !Array.isArray(v);
const isCellValue = (v: unknown) => v === undefined || v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * Whether the rows editor can show `value` without losing anything: a list of objects whose cells are plain
 * values. Anything else (an expression for the whole list, an object in a cell) stays in the JSON editor.
 */
export function editableAsRows(value: unknown, fields: readonly ListField[]): value is Row[] {
  return Array.isArray(value) && value.every((row) => isRow(row) && fields.every((f) => isCellValue(row[f.key])));
}

/** A new row: each field's default; text cells start empty so the row has the shape the spec's default rows have. */
export function newRow(fields: readonly ListField[]): Row {
  const row: Row = {};
  for (const f of fields) {
    if (f.default !== undefined) row[f.key] = structuredClone(f.default);
    else if (f.widget === 'text') row[f.key] = '';
  }
  return row;
}

/** `rows` with the row at `from` moved to `to`. */
export function moveRow<T>(rows: readonly T[], from: number, to: number): T[] {
  const next = [...rows];
  const [row] = next.splice(from, 1);
  next.splice(to, 0, row);
  return next;
}

/** The row with one cell changed; `undefined` removes the key (an optional field left empty). */
export function withCell(row: Row, key: string, value: unknown): Row {
  const { [key]: _old, ...rest } = row;
  return value === undefined ? rest : { ...rest, [key]: value };
}

/** The compiler words a param error `Param "rules[0].operator": must be …`; a cell already says where it is. */
export function cellMessage(message: string): string {
  return message.replace(/^Param "[^"]*":\s*/, '');
}

export interface LocatedListErrors {
  /** About the list as a whole (too many rows, not a list). */
  list: string[];
  /** About a row but no one cell of it (an unknown key), by row index. */
  rows: Map<number, string[]>;
  /** By `${row}:${field}`. */
  cells: Map<string, string[]>;
}

/** Sorts a list param's errors onto the list, its rows and its cells. */
export function locateListErrors(errors: readonly FieldError[], fields: readonly ListField[]): LocatedListErrors {
  const out: LocatedListErrors = { list: [], rows: new Map(), cells: new Map() };
  const push = <K>(map: Map<K, string[]>, key: K, message: string) => map.set(key, [...(map.get(key) ?? []), message]);
  for (const e of errors) {
    const [row, field] = e.path;
    if (typeof row !== 'number') out.list.push(e.message);
    else if (typeof field === 'string' && fields.some((f) => f.key === field))
      push(out.cells, cellKey(row, field), cellMessage(e.message));
    else push(out.rows, row, cellMessage(e.message));
  }
  return out;
}

export const cellKey = (row: number, field: string) => `${row}:${field}`;
