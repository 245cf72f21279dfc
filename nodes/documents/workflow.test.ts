// Documents in a real run (Temporal, a worker process, the store, Mailpit): an uploaded DOCX template is filled from
// the trigger, a PDF is built from the same data, and Send Email attaches both; the mailbox holds them byte for byte,
// and both open with the new hire's name in them. A 50 MB attachment then fails the mail step naming the field,
// while the files the run already made stay readable.
import { randomUUID } from 'node:crypto';
import { Document, Packer, Paragraph } from 'docx';
import { readFileValue, saveFile } from '../../db/files';
import { createWorkflow } from '../../db/workflows';
import { systemScope } from '../../db/workspaces';
import { isFileRef, type FileRef } from '../../contracts/file-ref';
import { attachmentContent, ensureMailpit, messagesTo, waitForMessage, type Mailpit } from '../../test/mailbox';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';
import { docxText, pdfText } from './testing';

const WS = 'ws_documents_flow';
let mailpit: Mailpit;
let harness: RunHarness;
let workflowId = '';
let template: FileRef;
beforeAll(async () => {
  mailpit = await ensureMailpit(); // before the worker starts: it inherits BATON_SMTP_URL
  harness = await startRunHarness('documents_flow');
  await harness.startWorker({ queues: ['default'] });
  workflowId = (await createWorkflow(systemScope(WS), { name: 'Offer letters', ownerId: 'owner' })).id;
  const lines = ['Dear {name},', 'You join us as {role} on {start}.'];
  const docx = await Packer.toBuffer(new Document({ sections: [{ children: lines.map((l) => new Paragraph(l)) }] }));
  template = await saveFile(docx, {
    workspaceId: WS,
    name: 'offer-template.docx',
    mimeType: 'application/octet-stream',
  });
}, 180_000);
afterAll(async () => {
  await harness?.close();
  await mailpit?.stop();
});

function offerFlow(attachments: string) {
  return compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        {
          id: 'letter',
          type: 'docx-template',
          params: { template, data: '{{ $input }}', fileName: 'Offer letter - {{ $input.name }}' },
        },
        {
          id: 'pdf',
          type: 'pdf-create',
          params: {
            title: 'Offer for {{ $trigger.name }}',
            content: '{{ [{ "heading": "Offer for " & $trigger.name }, "You join us as " & $trigger.role & "."] }}',
            fileName: 'Offer letter - {{ $trigger.name }}.pdf',
          },
        },
        {
          id: 'send',
          type: 'send-email',
          params: {
            from: 'HR <hr@acme.test>',
            to: '{{ $trigger.email }}',
            subject: 'Your offer, {{ $trigger.name }}',
            text: 'Hello {{ $trigger.name }}, your offer letter is attached.',
            attachments,
          },
        },
      ],
      [
        ['trigger', 'letter'],
        ['letter', 'pdf'],
        ['pdf', 'send'],
      ],
    ),
    workflowId,
  );
}

it('DOCX template → PDF → Send Email: the mail carries both files intact, each naming the new hire', async () => {
  const email = `hire-${randomUUID().slice(0, 8)}@acme.test`;
  const hire = { name: 'Ada Lovelace', role: 'Analyst', start: 'Monday 3 March', email };
  const { result, steps } = await harness.run(offerFlow('{{ [$node("letter").file, $input.file] }}'), hire);
  expect(result.status).toBe('succeeded');

  const letter = (steps.find((s) => s.nodeId === 'letter')!.output as { file: FileRef }).file;
  const pdf = (steps.find((s) => s.nodeId === 'pdf')!.output as { file: FileRef }).file;
  expect([isFileRef(letter), isFileRef(pdf)]).toEqual([true, true]);
  expect(letter.name).toBe('Offer letter - Ada Lovelace.docx');
  expect(pdf.name).toBe('Offer letter - Ada Lovelace.pdf');

  const mail = await waitForMessage(email);
  expect(mail.Subject).toBe('Your offer, Ada Lovelace');
  const parts = Object.fromEntries(mail.Attachments.map((a) => [a.FileName, a]));
  expect(Object.keys(parts).sort()).toEqual([letter.name, pdf.name]);
  const [docxBytes, pdfBytes] = await Promise.all([
    attachmentContent(mail.ID, parts[letter.name].PartID),
    attachmentContent(mail.ID, parts[pdf.name].PartID),
  ]);
  expect(docxBytes.equals((await readFileValue(letter, 'letter', WS, 1 << 24)).data)).toBe(true);
  expect(pdfBytes.equals((await readFileValue(pdf, 'pdf', WS, 1 << 24)).data)).toBe(true);
  expect(docxText(docxBytes)).toContain('Dear Ada Lovelace,\nYou join us as Analyst on Monday 3 March.');
  expect(pdfText(pdfBytes)).toContain('Offer for Ada Lovelace\nYou join us as Analyst.');
  expect(parts[pdf.name].ContentType).toBe('application/pdf');
  expect(await messagesTo(email)).toHaveLength(1);
});

it('a 50 MB attachment fails the mail step naming the field; the run’s earlier files stay', async () => {
  const email = `big-${randomUUID().slice(0, 8)}@acme.test`;
  const scan = await saveFile(Buffer.alloc(50 * 1024 * 1024), {
    workspaceId: WS,
    name: 'scan.pdf',
    mimeType: 'application/pdf',
  });
  const flow = offerFlow(`{{ [$input.file, ${JSON.stringify(scan)}] }}`);
  const { result, steps } = await harness.run(flow, { name: 'Grace Hopper', role: 'Admiral', start: 'today', email });
  expect(result.status).toBe('failed');
  const send = steps.find((s) => s.nodeId === 'send')!;
  expect(send.status).toBe('failed');
  expect(send.error?.message).toBe(
    'Send email: Attachments (entry 2): the file "scan.pdf" is 50 MB; attachments add up to more than 20 MB; fix the Attachments parameter',
  );
  const pdf = (steps.find((s) => s.nodeId === 'pdf')!.output as { file: FileRef }).file;
  expect(pdfText((await readFileValue(pdf, 'pdf', WS, 1 << 24)).data)).toContain('Offer for Grace Hopper');
  expect(await messagesTo(email)).toEqual([]);
});
