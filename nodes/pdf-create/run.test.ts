// Create PDF against the real file store: the text is laid out on pages and can be read back from the PDF's content
// streams; the title is in its metadata; long content flows onto more pages; characters the standard fonts lack are
// replaced and reported; bad content is named by field.
import mongoose from 'mongoose';
import { PDFDocument } from 'pdf-lib';
import { connectDb, disconnectDb } from '../../db/connection';
import { readFileValue, runFiles } from '../../db/files';
import { createWorkflow } from '../../db/workflows';
import { systemScope } from '../../db/workspaces';
import { testDatabaseUri } from '../../test/stack';
import type { ParamsOf } from '../define';
import { pdfText } from '../documents/testing';
import { makeRunContext } from '../testing';
import { run } from './run';
import type { spec } from './spec';

const WS = 'ws_pdf_create';
let workflowId = '';
beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_pdf_create'));
  await mongoose.connection.db!.dropDatabase();
  workflowId = (await createWorkflow(systemScope(WS), { name: 'Letters', ownerId: 'owner' })).id;
});
afterAll(async () => {
  await disconnectDb();
});

const ctx = () => makeRunContext({ files: runFiles({ runId: 'run-pdf-create', workflowId, nodeId: 'pdf' }) });
const params = (p: Partial<ParamsOf<typeof spec.params>>) =>
  ({ fileName: 'document.pdf', pageSize: 'A4', ...p }) as ParamsOf<typeof spec.params>;

interface PdfOutput {
  file: { name: string; mimeType: string; bytes: number };
  pages: number;
  replacedCharacters?: string[];
}

async function created(p: Partial<ParamsOf<typeof spec.params>>) {
  const output = (await run(ctx(), params(p), {})) as PdfOutput;
  const { data } = await readFileValue(output.file, 'Output', WS, 20 * 1024 * 1024);
  return { output, data, text: pdfText(data), pdf: await PDFDocument.load(data) };
}

it('lays out headings, paragraphs, lists and a table, with the title in the metadata', async () => {
  const { output, text, pdf } = await created({
    title: 'Offer letter – Ada Lovelace',
    fileName: 'Offer - Ada',
    content: [
      { heading: 'Offer of employment' },
      'Dear Ada Lovelace, we are pleased to offer you the position of Analyst.',
      { list: ['Pension', 'Laptop'] },
      {
        table: [
          { term: 'Salary', value: '€ 90,000' },
          { term: 'Start', value: '2025-03-03' },
        ],
      },
    ],
  });
  expect(output.file).toMatchObject({ name: 'Offer - Ada.pdf', mimeType: 'application/pdf' });
  expect(output.pages).toBe(1);
  expect(pdf.getPageCount()).toBe(1);
  expect(pdf.getTitle()).toBe('Offer letter – Ada Lovelace');
  expect(pdf.getCreator()).toBe('Baton');
  expect(text).toContain('Offer of employment');
  expect(text).toContain('Dear Ada Lovelace, we are pleased to offer you the position of Analyst.');
  expect(text).toContain('•\nPension\n•\nLaptop');
  expect(text).toContain('Salary');
  expect(text).toContain('€ 90,000');
  expect(output.replacedCharacters).toBeUndefined();
});

it('wraps long text to the margins and flows onto new pages; page breaks and Letter size apply', async () => {
  const paragraph = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(40);
  const { output, pdf, text } = await created({
    content: [...Array.from({ length: 12 }, () => paragraph), { pageBreak: true }, 'Last page.'],
    pageSize: 'Letter',
  });
  expect(output.pages).toBeGreaterThan(3);
  expect(pdf.getPageCount()).toBe(output.pages);
  expect(pdf.getPage(0).getSize()).toEqual({ width: 612, height: 792 });
  const widest = Math.max(...text.split('\n').map((l) => l.length));
  expect(widest).toBeLessThan(120); // wrapped, not one 2,000-character line
  expect(text.endsWith('Last page.')).toBe(true);
});

it('replaces characters the standard fonts cannot write by their base letter, and reports them', async () => {
  const { output, text } = await created({ content: 'Łukasz Żółć — 王 · José' });
  expect(text).toContain('Lukasz Zólc — ? · José');
  expect(output.replacedCharacters?.sort()).toEqual(['Ł', 'Ż', 'ł', 'ć', '王'].sort());
});

it('names the field for bad content and file names', async () => {
  await expect(run(ctx(), params({ content: [{ list: 'Pension' }] }), {})).rejects.toMatchObject({
    message: 'Create PDF: Content (block 1): list must be a list of texts, not a string; fix the Content parameter',
    code: 'param-invalid',
  });
  await expect(run(ctx(), params({ content: 'x', fileName: 'a\nb' }), {})).rejects.toMatchObject({
    message:
      'Create PDF: File name: must be a plain file name: no slashes, line breaks or control characters; fix the File name parameter',
  });
});
