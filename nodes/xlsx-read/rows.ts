// An exceljs worksheet as JSON rows. Keys come from the header row (blank ones by column letter, repeated ones
// numbered "name_2"), so a sheet edited by hand still reads predictably.
import type { CellValue, Worksheet } from 'exceljs';
import { setOwn } from '../json-value';

/** A cell as JSON: formulas their cached result, dates ISO text, rich text and hyperlinks their text. */
export function cellJson(value: CellValue): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'object') return value;
  if ('result' in value) return cellJson((value.result ?? null) as CellValue);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return cellJson(value.text as CellValue);
  if ('error' in value) return value.error;
  return null;
}

export function columnLetter(index: number): string {
  let n = index;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

export function sheetRows(sheet: Worksheet, headerRow: boolean): Array<Record<string, unknown>> {
  const width = sheet.columnCount;
  const keys: string[] = [];
  const rows: Array<Record<string, unknown>> = [];
  sheet.eachRow((row, number) => {
    if (headerRow && keys.length === 0 && number === firstRowNumber(sheet)) {
      const seen = new Map<string, number>();
      for (let c = 1; c <= width; c++) {
        const text = String(cellJson(row.getCell(c).value) ?? '').trim() || columnLetter(c);
        const count = (seen.get(text) ?? 0) + 1;
        seen.set(text, count);
        keys.push(count > 1 ? `${text}_${count}` : text);
      }
      return;
    }
    const out: Record<string, unknown> = {};
    for (let c = 1; c <= width; c++)
      setOwn(out, headerRow ? keys[c - 1] : columnLetter(c), cellJson(row.getCell(c).value));
    rows.push(out);
  });
  return rows;
}

function firstRowNumber(sheet: Worksheet): number {
  let first = 0;
  sheet.eachRow((_row, number) => {
    if (first === 0) first = number;
  });
  return first;
}
