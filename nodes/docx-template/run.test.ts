// Fill DOCX template against the real file store: placeholders, nested values, loops and conditions filled from
// data, the result opened and read back; a missing placeholder, a broken or foreign template, hostile values and an
// oversized template each give a clear error naming the field.
import { Document, Packer, Paragraph, TextRun } from 'docx';
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../../db/connection';
import { readFileValue, runFiles, saveFile } from '../../db/files';
import { createWorkflow } from '../../db/workflows';
import { systemScope } from '../../db/workspaces';
import { testDatabaseUri } from '../../test/stack';
import type { ParamsOf } from '../define';
import { docxText } from '../documents/testing';
import { makeRunContext } from '../testing';
import { run } from './run';
import type { spec } from './spec';

const WS = 'ws_docx_template';
let workflowId = '';
beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_docx_template'));
  await mongoose.connection.db!.dropDatabase();
  workflowId = (await createWorkflow(systemScope(WS), { name: 'Offers', ownerId: 'owner' })).id;
});
afterAll(async () => {
  await disconnectDb();
});

const ctx = () => makeRunContext({ files: runFiles({ runId: 'run-docx-template', workflowId, nodeId: 'letter' }) });

/** A template written with `docx`, one paragraph per line; Word splits runs more, which docxtemplater handles. */
async function template(...lines: string[]): Promise<Buffer> {
  const doc = new Document({
    sections: [{ children: lines.map((l) => new Paragraph({ children: [new TextRun(l)] })) }],
  });
  return Packer.toBuffer(doc);
}

const upload = async (data: Buffer, name = 'offer-template.docx') =>
  saveFile(data, { workspaceId: WS, name, mimeType: 'application/octet-stream', uploadedBy: 'owner' });

const params = (p: Partial<ParamsOf<typeof spec.params>>) =>
  ({ fileName: 'document.docx', ...p }) as ParamsOf<typeof spec.params>;

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the step to fail');
    },
    (err: { message: string; code?: string; retryable?: boolean }) => err,
  );

const OFFER = [
  'Dear {name},',
  'We offer you the position of {role.title} at {salary} a year.',
  '{#benefits}- {label}',
  '{/benefits}',
  '{#remote}You may work from home.{/remote}{^remote}You work at the office.{/remote}',
];

it('fills placeholders, nested values, loops and conditions, and outputs the DOCX as a file', async () => {
  const tpl = await upload(await template(...OFFER));
  const output = (await run(
    ctx(),
    params({
      template: tpl,
      data: {
        name: 'Ada Lovelace',
        role: { title: 'Analyst' },
        salary: '€ 90,000',
        benefits: [{ label: 'Pension' }, { label: 'Laptop' }],
        remote: true,
      },
      fileName: 'Offer letter - Ada Lovelace',
    }),
    {},
  )) as { file: { name: string; mimeType: string; bytes: number } };
  expect(output.file).toMatchObject({
    name: 'Offer letter - Ada Lovelace.docx',
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  });
  const { data } = await readFileValue(output.file, 'Output', WS, 10 * 1024 * 1024);
  expect(data.length).toBe(output.file.bytes);
  const text = docxText(data);
  expect(text).toContain('Dear Ada Lovelace,');
  expect(text).toContain('position of Analyst at € 90,000 a year.');
  expect(text).toContain('- Pension');
  expect(text).toContain('- Laptop');
  expect(text).toContain('You may work from home.');
  expect(text).not.toContain('You work at the office.');
  expect(text).not.toMatch(/[{}]/);
});

it('refuses a placeholder without a value, naming it and the Data field', async () => {
  const tpl = await upload(await template(...OFFER));
  const err = await failure(
    run(ctx(), params({ template: tpl, data: { name: 'Ada', role: {}, benefits: [{}], remote: false } }), {}),
  );
  expect(err).toMatchObject({ code: 'param-invalid', retryable: false });
  expect(err.message).toBe(
    'Fill DOCX template: Data: the template\'s placeholders {role.title}, {salary}, {label} (in {#benefits}) have no value; add "role.title", "salary", "label" to Data, or remove them from the template; fix the Data parameter',
  );
});

it('keeps hostile values as text: XML and placeholder syntax in data are escaped, not interpreted', async () => {
  const tpl = await upload(await template('Name: {name}'));
  const hostile = '</w:t></w:r><w:r><w:t>{salary} & <b>bold</b>';
  const output = (await run(ctx(), params({ template: tpl, data: { name: hostile } }), {})) as { file: unknown };
  const text = docxText((await readFileValue(output.file, 'Output', WS, 1024 * 1024)).data);
  expect(text).toContain(`Name: ${hostile}`);
});

it('refuses broken, foreign and oversized templates, naming the Template field', async () => {
  const broken = await upload(await template('Dear {name,'));
  expect((await failure(run(ctx(), params({ template: broken, data: {} }), {}))).message).toMatch(
    /^Fill DOCX template: Template: has errors in its placeholders: The tag beginning with "\{name," is unclosed; fix the Template parameter$/,
  );

  const text = await upload(Buffer.from('not a word file'), 'notes.txt');
  expect((await failure(run(ctx(), params({ template: text, data: {} }), {}))).message).toBe(
    'Fill DOCX template: Template: is not a DOCX file (it is not a ZIP archive); save it as .docx; fix the Template parameter',
  );

  const genuine = await upload(await template('Hi {name}'));
  const forged = { ...genuine, name: 'other.docx' };
  expect((await failure(run(ctx(), params({ template: forged, data: {} }), {}))).message).toMatch(
    /^Fill DOCX template: Template: "other.docx" looks like a file but was not made by this Baton for this workspace/,
  );
  expect((await failure(run(ctx(), params({ template: 'offer.docx' as never, data: {} }), {}))).message).toMatch(
    /^Fill DOCX template: Template: expected a file/,
  );

  const oversized = await upload(Buffer.alloc(11 * 1024 * 1024), 'huge.docx');
  expect((await failure(run(ctx(), params({ template: oversized, data: {} }), {}))).message).toBe(
    'Fill DOCX template: Template: the file "huge.docx" is 11.0 MB; the limit here is 10.0 MB',
  );

  expect((await failure(run(ctx(), params({ template: genuine, data: ['Ada'] }), {}))).message).toMatch(
    /^Fill DOCX template: Data: must be an object of placeholder values by name, not a list; fix the Data parameter$/,
  );
});
