// Writes items to one Excel sheet (exceljs): a bold header row of column names, one row per item; outputs the
// workbook as a file value.
import { defineNode, param } from '../define';

export const spec = defineNode({
  type: 'xlsx-write',
  version: 1,
  title: 'Write XLSX',
  description: 'Write items to an Excel sheet, one row each, with a header row; outputs the workbook as a file.',
  category: 'core',
  icon: 'sheet',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Spreadsheet' }],
  params: {
    rows: param.anyValue({
      label: 'Rows',
      description: 'A list of objects (keys are columns) or of lists (cells in order). By default this node’s input.',
      placeholder: '{{ $node("Read people").output }}',
      default: '{{ $input }}',
      maxLength: 16 * 1024 * 1024,
    }),
    columns: param.text({
      label: 'Columns',
      description: 'Keys to write, comma-separated, in order. Empty: every key, in order of appearance.',
      placeholder: 'name, email, startDate',
      maxLength: 8 * 1024,
    }),
    sheetName: param.text({
      label: 'Sheet name',
      placeholder: 'Sheet1',
      default: 'Sheet1',
      maxLength: 31,
      pattern: { regex: /^[^[\]:*?/\\]*$/, message: 'cannot contain [ ] : * ? / or \\ (Excel refuses them)' },
    }),
    fileName: param.text({
      label: 'File name',
      description: 'The name of the output file; ".xlsx" is added when missing.',
      placeholder: 'New hires {{ $substring($now(), 0, 10) }}.xlsx',
      default: 'sheet.xlsx',
      maxLength: 200,
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default' },
});
