// Files as values against the real Mongo-protocol server's GridFS: what a step saves reads back byte for byte, only
// references the store signed for the reading workspace are read (look-alikes, edited ones and another workspace's
// stay data), sizes are refused before reading, and retention deletes a run's files with its blobs but keeps uploads.
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from './connection';
import { testDatabaseUri } from '../test/stack';
import { deleteBlobsOfRuns } from './blobs';
import { cleanFileName, cleanMimeType, findFile, readFileValue, runFiles, saveFile, verifyFileRef } from './files';
import { createWorkflow } from './workflows';
import { systemScope } from './workspaces';
import { isFileRef } from '../contracts/file-ref';

let workflowId = '';
beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_files'));
  await mongoose.connection.db!.dropDatabase();
  workflowId = (await createWorkflow(systemScope('ws_files_a'), { name: 'Offer letters', ownerId: 'owner' })).id;
});
afterAll(async () => {
  await disconnectDb();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (err: { message: string; code?: string; retryable?: boolean; reason?: string }) => err,
  );

test('a step saves a file of its run and workspace, and reads it back byte for byte', async () => {
  const files = runFiles({ runId: 'run-files-1', workflowId, nodeId: 'letter' });
  const data = randomBytes(600 * 1024); // several GridFS chunks
  const ref = await files.save({ name: 'Offer letter – Ada.pdf', mimeType: 'application/pdf', data });
  expect(isFileRef(ref)).toBe(true);
  expect(ref).toMatchObject({ name: 'Offer letter – Ada.pdf', mimeType: 'application/pdf', bytes: data.length });
  // Through JSON, as it travels in step records and Temporal payloads.
  const back = await files.read(JSON.parse(JSON.stringify(ref)), 'Template', 1024 * 1024);
  expect(back.data.equals(data)).toBe(true);
  expect(await findFile(ref.$batonFile, 'ws_files_a')).toMatchObject({
    kind: 'file',
    runId: 'run-files-1',
    nodeId: 'letter',
    bytes: data.length,
  });
});

test('look-alikes, edited references and another workspace’s files stay data', async () => {
  const files = runFiles({ runId: 'run-files-2', workflowId, nodeId: 'n' });
  const ref = await files.save({ name: 'salary.txt', mimeType: 'text/plain', data: Buffer.from('secret salary') });
  const forged: Array<[string, unknown]> = [
    ['unsigned look-alike', { ...ref, sig: 'A'.repeat(22) }],
    ['renamed', { ...ref, name: 'salary.html' }],
    ['retyped', { ...ref, mimeType: 'text/html' }],
    ['resized', { ...ref, bytes: ref.bytes + 1 }],
  ];
  for (const [what, value] of forged) {
    const err = await failure(files.read(value, 'Attachments (entry 1)', 1024));
    expect({ what, message: err.message, code: err.code, retryable: err.retryable }).toEqual({
      what,
      message: expect.stringMatching(/^Attachments \(entry 1\): ".*" looks like a file but was not made by this Baton/),
      code: 'param-invalid',
      retryable: false,
    });
  }
  // The same, genuine reference read by a run of another workspace.
  const elsewhere = (await createWorkflow(systemScope('ws_files_b'), { name: 'Other', ownerId: 'o' })).id;
  const other = runFiles({ runId: 'run-files-3', workflowId: elsewhere, nodeId: 'n' });
  expect((await failure(other.read(ref, 'Template', 1024))).message).toMatch(
    /not made by this Baton for this workspace/,
  );
  expect(await verifyFileRef(ref, 'ws_files_b')).toBeUndefined();
  expect(await findFile(ref.$batonFile, 'ws_files_b')).toBeUndefined();
  expect(await verifyFileRef(ref, 'ws_files_a')).toEqual(ref);
});

test('what is not a file, or is too large for the reader, is refused naming the field before anything is read', async () => {
  const files = runFiles({ runId: 'run-files-4', workflowId, nodeId: 'n' });
  const cases: Array<[unknown, RegExp]> = [
    [undefined, /^Template: expected a file .*, got nothing$/],
    ['offer.docx', /^Template: expected a file .*, got the text "offer.docx"$/],
    [[1, 2], /got a list$/],
    [{ $batonFile: 'x', name: 'a' }, /got an object that is not a file$/],
  ];
  for (const [value, message] of cases)
    expect((await failure(files.read(value, 'Template', 1024))).message).toMatch(message);

  const ref = await files.save({ name: 'big.bin', mimeType: 'application/octet-stream', data: Buffer.alloc(4096) });
  expect((await failure(files.read(ref, 'Spreadsheet', 1024))).message).toBe(
    'Spreadsheet: the file "big.bin" is 4 KB; the limit here is 1 KB',
  );
});

test('retention deletes a run’s files with its blobs and keeps uploads; a deleted file is refused as gone', async () => {
  const files = runFiles({ runId: 'run-files-5', workflowId, nodeId: 'n' });
  const made = await files.save({ name: 'a.txt', mimeType: 'text/plain', data: Buffer.from('run file') });
  const uploaded = await saveFile(Buffer.from('template'), {
    workspaceId: 'ws_files_a',
    name: 'template.docx',
    mimeType: 'application/octet-stream',
    uploadedBy: 'owner',
  });
  expect(await deleteBlobsOfRuns(['run-files-5'])).toBe(1);
  expect(await findFile(made.$batonFile, 'ws_files_a')).toBeUndefined();
  expect((await failure(files.read(made, 'Template', 1024))).message).toMatch(
    /^Template: the file "a.txt" is no longer stored \(its run was deleted by retention\)/,
  );
  expect((await readFileValue(uploaded, 'Template', 'ws_files_a', 1024)).data.toString()).toBe('template');
});

test('names lose paths and control characters; types are type/subtype or octet-stream', () => {
  expect(cleanFileName('../../etc/passwd')).toBe('_.._etc_passwd');
  expect(cleanFileName('a\r\nb.pdf')).toBe('a__b.pdf');
  expect(cleanFileName('   ')).toBe('file');
  expect(cleanFileName(`${'x'.repeat(300)}.docx`)).toBe(`${'x'.repeat(195)}.docx`);
  expect(cleanMimeType('Application/PDF; charset=binary')).toBe('application/pdf');
  expect(cleanMimeType('text/html\r\nX-Evil: 1')).toBe('application/octet-stream');
  expect(cleanMimeType(undefined)).toBe('application/octet-stream');
});

test('a file over the store limit is refused by name', async () => {
  const files = runFiles({ runId: 'run-files-6', workflowId, nodeId: 'n' });
  const huge = Buffer.alloc(100 * 1024 * 1024 + 1);
  const err = await failure(files.save({ name: 'huge.bin', mimeType: 'application/octet-stream', data: huge }));
  expect(err.message).toBe('The file "huge.bin" is 100.0 MB; files are limited to 100.0 MB.');
  expect(err.code).toBe('file-too-large');
});
