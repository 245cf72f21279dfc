// How a grid cell shows its value and turns what was typed back into one. Text goes to the shared check
// (contracts/data-table-values `checkCell`), which converts "42" for a number column and refuses what does not fit,
// with the same message the server would give.
import { checkCell } from '../../../contracts/data-table-values';
import type { DataTableColumn } from '../../../contracts/data-tables';

/** A date as `2025-03-01`, or `2025-03-01 09:30Z` when it has a time of day (UTC). */
function dateText(iso: string): string {
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${iso.slice(16, 19) === ':00' ? '' : iso.slice(16, 19)}Z`;
}

/** One line for a cell; empty cells are ''. */
export function cellDisplay(column: Pick<DataTableColumn, 'type'>, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (column.type === 'date' && typeof value === 'string') return dateText(value);
  if (column.type === 'json') return JSON.stringify(value);
  return String(value);
}

/** What an editor starts with: the display text (JSON as JSON, dates as shown). */
export const cellEditText = cellDisplay;

/** The value typed into a cell, checked: the value to send, or the message to show under the cell. */
export function parseCellText(
  column: DataTableColumn,
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  let value: unknown = text;
  if (column.type === 'json' && text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch (err) {
      return { ok: false, message: `Column "${column.name}" (json): not valid JSON (${(err as Error).message}).` };
    }
  }
  const checked = checkCell(column, value);
  return checked.ok ? { ok: true, value: text.trim() === '' ? null : value } : checked;
}
