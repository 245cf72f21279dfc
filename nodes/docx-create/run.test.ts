// Create DOCX against the real file store: text with Markdown-like lines and structured blocks (headings, lists,
// tables from objects and lists) come out as a Word document that reads back; bad blocks are named by position.
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../../db/connection';
import { readFileValue, runFiles } from '../../db/files';
import { createWorkflow } from '../../db/workflows';
import { systemScope } from '../../db/workspaces';
import { testDatabaseUri } from '../../test/stack';
import type { ParamsOf } from '../define';
import { docxText } from '../documents/testing';
import { makeRunContext } from '../testing';
import { run } from './run';
import type { spec } from './spec';

const WS = 'ws_docx_create';
let workflowId = '';
beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_docx_create'));
  await mongoose.connection.db!.dropDatabase();
  workflowId = (await createWorkflow(systemScope(WS), { name: 'Summaries', ownerId: 'owner' })).id;
});
afterAll(async () => {
  await disconnectDb();
});

const ctx = () => makeRunContext({ files: runFiles({ runId: 'run-docx-create', workflowId, nodeId: 'summary' }) });
const params = (p: Partial<ParamsOf<typeof spec.params>>) =>
  ({ fileName: 'document.docx', ...p }) as ParamsOf<typeof spec.params>;

async function created(p: Partial<ParamsOf<typeof spec.params>>): Promise<{ text: string; file: { name: string } }> {
  const output = (await run(ctx(), params(p), {})) as { file: { name: string } };
  const { data } = await readFileValue(output.file, 'Output', WS, 10 * 1024 * 1024);
  return { text: docxText(data), file: output.file };
}

it('writes structured blocks: headings, paragraphs with line breaks, lists and tables', async () => {
  const { text, file } = await created({
    title: 'Onboarding summary',
    fileName: 'Summary - Ada',
    content: [
      { heading: 'Welcome, Ada Lovelace' },
      'Your first week:\nMonday to Friday.',
      { list: ['Laptop', 'Badge'] },
      { list: ['Sign contract', 'Meet the team'], ordered: true },
      { heading: 'Equipment', level: 2 },
      {
        table: [
          { item: 'Laptop', status: 'issued' },
          { item: 'Phone', owner: 'IT' },
        ],
      },
      {
        table: [
          ['Day', 'Session'],
          ['Mon', 'Intro'],
        ],
      },
      { pageBreak: true },
      { paragraph: 'The end.' },
    ],
  });
  expect(file.name).toBe('Summary - Ada.docx');
  for (const line of [
    'Welcome, Ada Lovelace',
    'Your first week:',
    'Monday to Friday.',
    'Laptop',
    'Meet the team',
    'Equipment',
    'The end.',
  ])
    expect(text).toContain(line);
  // Object rows: columns from every key, in order of appearance; missing cells blank.
  expect(text).toContain('item | status | owner |');
  expect(text).toContain('Phone |  | IT |');
  expect(text).toContain('Day | Session |');
  expect(text).toContain('Mon | Intro |');
});

it('reads plain text with "#" headings and "-" / "1." items', async () => {
  const { text } = await created({ content: '# Offer\n\nDear Ada,\nwelcome.\n\n- one\n- two\n\n1. first\n2. second' });
  expect(text).toContain('Offer\n');
  expect(text).toContain('Dear Ada,\nwelcome.');
  expect(text).toContain('one\ntwo\nfirst\nsecond');
});

it('names the block and the field for bad content', async () => {
  const cases: Array<[unknown, string]> = [
    [
      [{ heading: 'x' }, 42],
      'Create DOCX: Content (block 2): must be text or a block such as { "heading": "Offer" }, not a number; fix the Content parameter',
    ],
    [
      [{ heading: 'x', level: 7 }],
      'Create DOCX: Content (block 1): heading level must be 1, 2 or 3, not 7; fix the Content parameter',
    ],
    [
      [{ table: [{ a: 1 }, ['b']] }],
      'Create DOCX: Content (block 1): table rows must be all objects or all lists; fix the Content parameter',
    ],
    [
      [{ image: 'x.png' }],
      'Create DOCX: Content (block 1): has none of heading, paragraph, list, table or pageBreak (keys: image); fix the Content parameter',
    ],
    ['', 'Create DOCX: Content: is empty: write some text or a list of blocks; fix the Content parameter'],
    [
      [{ table: [Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`c${i}`, i]))] }],
      'Create DOCX: Content (block 1): table has 60 columns; the limit is 50; fix the Content parameter',
    ],
  ];
  for (const [content, message] of cases) {
    await expect(run(ctx(), params({ content }), {})).rejects.toMatchObject({
      message,
      code: 'param-invalid',
      retryable: false,
    });
  }
  await expect(run(ctx(), params({ content: 'x', fileName: '../etc/passwd' }), {})).rejects.toMatchObject({
    message:
      'Create DOCX: File name: must be a plain file name: no slashes, line breaks or control characters; fix the File name parameter',
  });
});
