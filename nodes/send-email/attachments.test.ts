// Send Email with file values as attachments (docs/decisions/046), against a real Mailpit and the real file store:
// a file from an upstream node arrives byte for byte under its name and type; a list mixes files, renamed files and
// inline content; a forged reference and a 50 MB file are refused naming the entry, and nothing is sent.
import { randomBytes, randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../../db/connection';
import { doOnce } from '../../db/effect-marks';
import { runFiles, saveFile } from '../../db/files';
import { createWorkflow } from '../../db/workflows';
import { systemScope } from '../../db/workspaces';
import { attachmentContent, ensureMailpit, messagesTo, waitForMessage, type Mailpit } from '../../test/mailbox';
import { testDatabaseUri } from '../../test/stack';
import type { ParamsOf, RunContext } from '../define';
import { makeRunContext } from '../testing';
import { run } from './run';
import type { spec } from './spec';

const WS = 'ws_mail_files';
let mailpit: Mailpit;
let workflowId = '';
beforeAll(async () => {
  mailpit = await ensureMailpit();
  await connectDb(testDatabaseUri('baton_test_send_email_files'));
  await mongoose.connection.db!.dropDatabase();
  workflowId = (await createWorkflow(systemScope(WS), { name: 'Welcome', ownerId: 'owner' })).id;
});
afterAll(async () => {
  await disconnectDb();
  await mailpit.stop();
});

const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}@acme.test`;

function stepContext(): RunContext {
  const runId = `run-${randomUUID()}`;
  const key = `${runId}:mail:0`;
  return makeRunContext({
    runId,
    workflowId,
    idempotencyKey: key,
    once: (name, effect) => doOnce(`${key}:${name}`, effect),
    files: runFiles({ runId, workflowId, nodeId: 'mail' }),
  });
}

const params = (overrides: Partial<ParamsOf<typeof spec.params>>) =>
  ({ subject: 'Welcome', text: 'Hello', ...overrides }) as ParamsOf<typeof spec.params>;

const store = (data: Buffer, name: string, mimeType: string) =>
  saveFile(data, { workspaceId: WS, name, mimeType, runId: 'upstream' });

it('attaches a file value byte for byte, under its name and type', async () => {
  const to = unique('ada');
  const pdf = randomBytes(300 * 1024);
  const file = await store(pdf, 'Offer letter – Ada.pdf', 'application/pdf');
  await run(stepContext(), params({ to, attachments: file }), {});
  const mail = await waitForMessage(to);
  expect(mail.Attachments.map((a) => [a.FileName, a.ContentType])).toEqual([
    ['Offer letter – Ada.pdf', 'application/pdf'],
  ]);
  expect((await attachmentContent(mail.ID, mail.Attachments[0].PartID)).equals(pdf)).toBe(true);
});

it('mixes files, renamed files and inline content in one list', async () => {
  const to = unique('grace');
  const docx = randomBytes(2048);
  const sheet = randomBytes(1024);
  const [letter, hires] = await Promise.all([
    store(docx, 'letter.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
    store(sheet, 'sheet.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
  ]);
  await run(
    stepContext(),
    params({
      to,
      attachments: [
        letter,
        { file: hires, filename: 'New hires.xlsx' },
        { filename: 'note.txt', content: 'See you Monday' },
      ],
    }),
    {},
  );
  const mail = await waitForMessage(to);
  const byName = Object.fromEntries(mail.Attachments.map((a) => [a.FileName, a]));
  expect(Object.keys(byName).sort()).toEqual(['New hires.xlsx', 'letter.docx', 'note.txt']);
  expect((await attachmentContent(mail.ID, byName['letter.docx'].PartID)).equals(docx)).toBe(true);
  expect((await attachmentContent(mail.ID, byName['New hires.xlsx'].PartID)).equals(sheet)).toBe(true);
  expect(byName['New hires.xlsx'].ContentType).toBe(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  expect((await attachmentContent(mail.ID, byName['note.txt'].PartID)).toString()).toBe('See you Monday');
});

it('refuses a forged file and a 50 MB file, naming the entry, and sends nothing', async () => {
  const to = unique('refused');
  const genuine = await store(Buffer.from('salary: 90,000'), 'salary.txt', 'text/plain');
  const forged = await run(stepContext(), params({ to, attachments: [{ ...genuine, name: 'salary.pdf' }] }), {}).catch(
    (err: Error & { code?: string }) => err,
  );
  expect(forged).toMatchObject({
    message: expect.stringMatching(
      /^Send email: Attachments \(entry 1\): "salary.pdf" looks like a file but was not made by this Baton for this workspace.*; fix the Attachments parameter$/,
    ),
    code: 'param-invalid',
    retryable: false,
  });

  const big = await store(Buffer.alloc(50 * 1024 * 1024), 'scan.pdf', 'application/pdf');
  const tooBig = await run(stepContext(), params({ to, attachments: [genuine, big] }), {}).catch((err: Error) => err);
  expect(tooBig).toMatchObject({
    message:
      'Send email: Attachments (entry 2): the file "scan.pdf" is 50 MB; attachments add up to more than 20 MB; fix the Attachments parameter',
    code: 'param-invalid',
    retryable: false,
  });
  // The same step with a fitting list does send: only the refused ones were held back.
  await run(stepContext(), params({ to, subject: 'Fits', attachments: [genuine] }), {});
  await waitForMessage(to, { subject: 'Fits' });
  expect((await messagesTo(to)).map((m) => m.Subject)).toEqual(['Fits']);
});
