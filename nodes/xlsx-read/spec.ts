// Reads one sheet of an Excel workbook (exceljs) into items: one object per row, keyed by the header row's cells
// (or by column letter). Formulas give their cached result, dates ISO text, rich text and links their text.
import { defineNode, param } from '../define';

export const MAX_ROWS_LIMIT = 100_000;

export const spec = defineNode({
  type: 'xlsx-read',
  version: 1,
  title: 'Read XLSX',
  description: 'Read the rows of an Excel sheet as items, keyed by the header row.',
  category: 'core',
  icon: 'sheet',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Rows' }],
  params: {
    file: param.file({
      label: 'Spreadsheet',
      description: 'An .xlsx file: upload it, or use a file from an upstream node.',
      placeholder: '{{ $node("Form").sheet }}',
      required: true,
    }),
    sheet: param.text({
      label: 'Sheet',
      description: "The sheet's name. Empty: the first sheet.",
      placeholder: 'Sheet1',
      maxLength: 31,
    }),
    headerRow: param.boolean({
      label: 'First row is the header',
      description:
        "On: each row becomes an object keyed by the first row's cells. Off: keyed by column letter (A, B…).",
      placeholder: 'true',
      default: true,
    }),
    maxRows: param.number({
      label: 'Max rows',
      description: `A sheet with more rows fails the step rather than being cut short (up to ${MAX_ROWS_LIMIT.toLocaleString('en')}).`,
      placeholder: '10000',
      default: 10_000,
      min: 1,
      max: MAX_ROWS_LIMIT,
      int: true,
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default' },
});
