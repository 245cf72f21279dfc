import ExcelJS from 'exceljs';
import type { NodeRunner } from '../define';
import { DocumentFieldError, asNodeErrors } from '../documents/errors';
import { filesOf, INPUT_LIMITS, openOfficeZip } from '../documents/files';
import { sheetRows } from './rows';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = (ctx, params) =>
  asNodeErrors('Read XLSX', async () => {
    const { data } = await filesOf(ctx).read(params.file, 'Spreadsheet', INPUT_LIMITS.spreadsheet);
    openOfficeZip(data, 'Spreadsheet', 'XLSX');
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(data as unknown as ExcelJS.Buffer);
    } catch (err) {
      throw new DocumentFieldError('Spreadsheet', `cannot be read as an Excel workbook: ${(err as Error).message}`);
    }
    const names = workbook.worksheets.map((s) => s.name);
    const sheet = params.sheet ? workbook.getWorksheet(params.sheet) : workbook.worksheets[0];
    if (!sheet)
      throw new DocumentFieldError(
        params.sheet ? 'Sheet' : 'Spreadsheet',
        params.sheet
          ? `the workbook has no sheet "${params.sheet}"; its sheets are ${names.map((n) => `"${n}"`).join(', ')}`
          : 'the workbook has no sheets',
      );
    const maxRows = params.maxRows ?? 10_000;
    const count = sheet.actualRowCount - (params.headerRow === false ? 0 : 1);
    if (count > maxRows)
      throw new DocumentFieldError('Max rows', `sheet "${sheet.name}" has ${count} rows; the limit is ${maxRows}`);
    return sheetRows(sheet, params.headerRow !== false);
  });
