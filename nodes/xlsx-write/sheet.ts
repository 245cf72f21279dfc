// Items as one worksheet. Cells are written as values, never as formulas: text starting with "=" stays text, so
// data from a form cannot run anything in the spreadsheet of whoever opens it.
import ExcelJS from 'exceljs';
import { cellText } from '../documents/blocks';
import { DocumentFieldError } from '../documents/errors';

export const WRITE_LIMITS = { rows: 100_000, columns: 500, cellChars: 32_767 } as const;

type Cell = string | number | boolean | null;

function cell(value: unknown, where: string): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const text = cellText(value);
  if (text.length > WRITE_LIMITS.cellChars)
    throw new DocumentFieldError(
      'Rows',
      `${where} holds ${text.length} characters; Excel's limit is ${WRITE_LIMITS.cellChars}`,
    );
  return text;
}

export function parseColumns(text: string | undefined): string[] | undefined {
  const names = (text ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  return names.length ? names : undefined;
}

export async function writeSheet(
  rows: unknown,
  opts: { columns?: string[]; sheetName: string },
): Promise<{ data: Buffer; rows: number }> {
  if (!Array.isArray(rows))
    throw new DocumentFieldError('Rows', `must be a list of rows, not ${rows === null ? 'null' : typeof rows}`);
  if (rows.length > WRITE_LIMITS.rows)
    throw new DocumentFieldError('Rows', `has ${rows.length} rows; the limit is ${WRITE_LIMITS.rows}`);
  const lists = rows.length > 0 && rows.every((r) => Array.isArray(r));
  if (!lists && !rows.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r)))
    throw new DocumentFieldError('Rows', 'must be all objects (keys are columns) or all lists of cells');
  const header = lists
    ? opts.columns
    : (opts.columns ?? [...new Set((rows as Array<Record<string, unknown>>).flatMap((r) => Object.keys(r)))]);
  const width = Math.max(header?.length ?? 0, ...(lists ? (rows as unknown[][]).map((r) => r.length) : [0]));
  if (width > WRITE_LIMITS.columns)
    throw new DocumentFieldError(
      header && opts.columns ? 'Columns' : 'Rows',
      `name ${width} columns; the limit is ${WRITE_LIMITS.columns}`,
    );

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Baton';
  const sheet = workbook.addWorksheet(opts.sheetName || 'Sheet1');
  if (header) {
    sheet.addRow(header);
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  }
  rows.forEach((row, i) => {
    const where = `row ${i + 1}`;
    const cells = lists
      ? (row as unknown[]).map((v, c) => cell(v, `${where}, column ${c + 1}`))
      : header!.map((key) =>
          cell(Object.hasOwn(row as object, key) ? (row as Record<string, unknown>)[key] : null, `${where}, "${key}"`),
        );
    sheet.addRow(cells);
  });
  sheet.columns.forEach((column) => {
    let widest = 8;
    column.eachCell?.({ includeEmpty: false }, (c) => {
      widest = Math.max(widest, Math.min(60, String(c.value ?? '').length + 2));
    });
    column.width = widest;
  });
  return { data: Buffer.from(await workbook.xlsx.writeBuffer()), rows: rows.length };
}
