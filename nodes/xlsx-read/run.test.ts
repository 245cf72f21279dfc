// Read XLSX and Write XLSX against the real file store: items written to a sheet read back as the same items;
// cells keep their types, text starting with "=" stays text, formulas, dates, rich text and links read as values;
// missing sheets, too many rows and files that are no workbook are named by field.
import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../../db/connection';
import { readFileValue, runFiles, saveFile } from '../../db/files';
import { createWorkflow } from '../../db/workflows';
import { systemScope } from '../../db/workspaces';
import { testDatabaseUri } from '../../test/stack';
import type { FileRef } from '../../contracts/file-ref';
import type { ParamsOf } from '../define';
import { makeRunContext } from '../testing';
import { run as write } from '../xlsx-write/run';
import type { spec as writeSpec } from '../xlsx-write/spec';
import { run as read } from './run';
import type { spec as readSpec } from './spec';

const WS = 'ws_xlsx';
let workflowId = '';
beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_xlsx'));
  await mongoose.connection.db!.dropDatabase();
  workflowId = (await createWorkflow(systemScope(WS), { name: 'Sheets', ownerId: 'owner' })).id;
});
afterAll(async () => {
  await disconnectDb();
});

const ctx = () => makeRunContext({ files: runFiles({ runId: 'run-xlsx', workflowId, nodeId: 'sheet' }) });
const readParams = (p: Partial<ParamsOf<typeof readSpec.params>>) =>
  ({ headerRow: true, maxRows: 10_000, ...p }) as ParamsOf<typeof readSpec.params>;
const writeParams = (p: Partial<ParamsOf<typeof writeSpec.params>>) =>
  ({ sheetName: 'Sheet1', fileName: 'sheet.xlsx', ...p }) as ParamsOf<typeof writeSpec.params>;

const written = async (p: Partial<ParamsOf<typeof writeSpec.params>>) =>
  (await write(ctx(), writeParams(p), {})) as { file: FileRef; rows: number };

const HIRES = [
  { name: 'Ada Lovelace', email: 'ada@acme.test', salary: 90000, remote: true },
  {
    name: 'Grace Hopper',
    email: 'grace@acme.test',
    salary: 95000.5,
    remote: false,
    note: '=HYPERLINK("http://evil.test")',
  },
  { name: '__proto__', email: null },
];

it('round trip: items written to a sheet read back as the same items', async () => {
  const out = await written({ rows: HIRES, sheetName: 'New hires', fileName: 'hires' });
  expect(out.rows).toBe(3);
  expect(out.file).toMatchObject({
    name: 'hires.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  });
  const rows = (await read(ctx(), readParams({ file: out.file, sheet: 'New hires' }), {})) as Array<
    Record<string, unknown>
  >;
  expect(rows).toEqual([
    { name: 'Ada Lovelace', email: 'ada@acme.test', salary: 90000, remote: true, note: null },
    {
      name: 'Grace Hopper',
      email: 'grace@acme.test',
      salary: 95000.5,
      remote: false,
      note: '=HYPERLINK("http://evil.test")',
    },
    { name: '__proto__', email: null, salary: null, remote: null, note: null },
  ]);
  // The "=" text is a string cell in the file, not a formula.
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFileValue(out.file, 'x', WS, 1 << 20)).data as unknown as ExcelJS.Buffer);
  expect(workbook.getWorksheet('New hires')!.getCell('E3').type).toBe(ExcelJS.ValueType.String);
});

it('writes chosen columns in order, and lists of cells; reads without a header by column letter', async () => {
  const picked = await written({ rows: HIRES, columns: 'email, name' });
  expect(await read(ctx(), readParams({ file: picked.file }), {})).toEqual([
    { email: 'ada@acme.test', name: 'Ada Lovelace' },
    { email: 'grace@acme.test', name: 'Grace Hopper' },
    { email: null, name: '__proto__' },
  ]);
  const lists = await written({
    rows: [
      ['a', 1],
      ['b', 2, 'extra'],
    ],
  });
  expect(await read(ctx(), readParams({ file: lists.file, headerRow: false }), {})).toEqual([
    { A: 'a', B: 1, C: null },
    { A: 'b', B: 2, C: 'extra' },
  ]);
});

it('reads what people put in sheets: formulas, dates, rich text, links, blank and repeated headers', async () => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Data');
  sheet.addRow(['Name', 'Start', 'Name', '', 'Total']);
  sheet.addRow([
    { richText: [{ text: 'Ada ' }, { text: 'Lovelace', font: { bold: true } }] },
    new Date(Date.UTC(2025, 2, 3)),
    { text: 'profile', hyperlink: 'https://acme.test/ada' },
    'x',
    { formula: '1+2', result: 3 },
  ]);
  const file = await saveFile(Buffer.from(await workbook.xlsx.writeBuffer()), {
    workspaceId: WS,
    name: 'people.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  });
  expect(await read(ctx(), readParams({ file }), {})).toEqual([
    { Name: 'Ada Lovelace', Start: '2025-03-03T00:00:00.000Z', Name_2: 'profile', D: 'x', Total: 3 },
  ]);
});

it('names the field for a missing sheet, too many rows, a file that is no workbook, and bad rows', async () => {
  const out = await written({ rows: HIRES });
  await expect(read(ctx(), readParams({ file: out.file, sheet: 'Payroll' }), {})).rejects.toMatchObject({
    message: 'Read XLSX: Sheet: the workbook has no sheet "Payroll"; its sheets are "Sheet1"; fix the Sheet parameter',
    code: 'param-invalid',
  });
  await expect(read(ctx(), readParams({ file: out.file, maxRows: 2 }), {})).rejects.toMatchObject({
    message: 'Read XLSX: Max rows: sheet "Sheet1" has 3 rows; the limit is 2; fix the Max rows parameter',
  });
  const text = await saveFile(Buffer.from('name,email\nAda,ada@acme.test'), {
    workspaceId: WS,
    name: 'people.csv',
    mimeType: 'text/csv',
  });
  await expect(read(ctx(), readParams({ file: text }), {})).rejects.toMatchObject({
    message:
      'Read XLSX: Spreadsheet: is not an XLSX file (it is not a ZIP archive); save it as .xlsx; fix the Spreadsheet parameter',
  });
  const big = await saveFile(Buffer.alloc(21 * 1024 * 1024), {
    workspaceId: WS,
    name: 'big.xlsx',
    mimeType: 'application/octet-stream',
  });
  await expect(read(ctx(), readParams({ file: big }), {})).rejects.toMatchObject({
    message: 'Read XLSX: Spreadsheet: the file "big.xlsx" is 21.0 MB; the limit here is 20.0 MB',
  });
  await expect(write(ctx(), writeParams({ rows: { name: 'Ada' } }), {})).rejects.toMatchObject({
    message: 'Write XLSX: Rows: must be a list of rows, not object; fix the Rows parameter',
  });
  await expect(write(ctx(), writeParams({ rows: [{ a: 1 }, 'b'] }), {})).rejects.toMatchObject({
    message: 'Write XLSX: Rows: must be all objects (keys are columns) or all lists of cells; fix the Rows parameter',
  });
  await expect(write(ctx(), writeParams({ rows: [{ bio: 'x'.repeat(40_000) }] }), {})).rejects.toMatchObject({
    message: 'Write XLSX: Rows: row 1, "bio" holds 40000 characters; Excel\'s limit is 32767; fix the Rows parameter',
  });
});
