// The Response "File" mode against a real HTTP server on loopback and the real file store: a PDF download becomes a
// file value with its bytes, name and type; a download over the limit fails naming the node and the limit and leaves
// no partial file; and in a real run (Temporal, a worker, Mailpit) the downloaded file reaches Send email as an
// attachment.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { findFile, readFileValue, runFiles } from '../../db/files';
import { createWorkflow } from '../../db/workflows';
import { systemScope } from '../../db/workspaces';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';
import { attachmentContent, ensureMailpit, waitForMessage, type Mailpit } from '../../test/mailbox';
import { isFileRef, type FileRef } from '../../contracts/file-ref';
import { makeRunContext } from '../testing';
import { NO_PAGINATION } from './pagination';
import { MAX_RESPONSE_BYTES } from './response-body';
import { dispositionFileName } from './response-file';
import { run } from './run';

const WS = 'ws_http_files';
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200 * 1024), Buffer.from('\n%%EOF\n')]);
let server: Server;
let base: string;
let mailpit: Mailpit;
let harness: RunHarness;
let workflowId = '';

function route(req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/contracts/offer.pdf') {
    res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(PDF.length) });
    res.end(PDF);
  } else if (path === '/export') {
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="staff.csv"; filename*=UTF-8''Mitarbeiter%20%C3%BCbersicht.csv`,
    });
    res.end('name\nAda\n');
  } else if (path === '/huge.bin') {
    // Chunked, no length: the limit must stop the download while it streams.
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(1024 * 1024, 1);
    let sent = 0;
    const pump = () => {
      while (sent <= MAX_RESPONSE_BYTES) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  } else {
    res.writeHead(404).end();
  }
}

beforeAll(async () => {
  mailpit = await ensureMailpit(); // before the worker starts: it inherits BATON_SMTP_URL
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  harness = await startRunHarness('http_files'); // connects this process to the run's database
  workflowId = (await createWorkflow(systemScope(WS), { name: 'Contracts', ownerId: 'owner' })).id;
}, 180_000);

afterAll(async () => {
  await harness?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await mailpit?.stop();
});

const params = (over: Partial<Parameters<typeof run>[1]>): Parameters<typeof run>[1] => ({
  method: 'GET',
  url: `${base}/contracts/offer.pdf`,
  headers: {},
  authentication: 'none',
  credential: '',
  bodyType: 'none',
  body: undefined,
  timeoutMs: 10_000,
  failOnHttpError: true,
  ...NO_PAGINATION,
  response: 'file',
  fileName: '',
  ...over,
});

function stepContext(nodeName = 'Download') {
  const runId = `run-${randomUUID()}`;
  return makeRunContext({
    runId,
    workflowId,
    nodeName,
    files: runFiles({ runId, workflowId, nodeId: 'download' }),
  });
}

async function filesOfRun(runId: string): Promise<number> {
  return mongoose.connection.db!.collection('blobs.files').countDocuments({ 'metadata.runId': runId });
}

test('a PDF download is a file value with its bytes, its name from the URL and its type', async () => {
  const out = (await run(stepContext(), params({}), {})) as { status: number; file: FileRef };
  expect(out.status).toBe(200);
  expect(isFileRef(out.file)).toBe(true);
  expect(out.file).toMatchObject({ name: 'offer.pdf', mimeType: 'application/pdf', bytes: PDF.length });
  const { data } = await readFileValue(out.file, 'Attachments', WS, 20 * 1024 * 1024);
  expect(data.equals(PDF)).toBe(true);
  expect(await findFile(out.file.$batonFile, WS)).toMatchObject({ bytes: PDF.length, nodeId: 'download' });
});

test('the name comes from the File name param, else Content-Disposition (filename* first), else the URL', async () => {
  const named = (await run(stepContext(), params({ fileName: 'Offer – Ada.pdf' }), {})) as { file: FileRef };
  expect(named.file.name).toBe('Offer – Ada.pdf');
  const exported = (await run(stepContext(), params({ url: `${base}/export` }), {})) as { file: FileRef };
  expect(exported.file).toMatchObject({ name: 'Mitarbeiter übersicht.csv', mimeType: 'text/csv', bytes: 9 });
  expect(dispositionFileName('attachment; filename="a \\"b\\".txt"')).toBe('a "b".txt');
  expect(dispositionFileName('inline')).toBeUndefined();
});

test('a download over the limit fails naming the node and the limit, and leaves no partial file', async () => {
  const ctx = stepContext('Fetch scan');
  const err = await run(ctx, params({ url: `${base}/huge.bin` }), {}).catch((e: Error) => e);
  expect(err).toMatchObject({
    message: `HTTP request node "Fetch scan": the file from ${base}/huge.bin is larger than the 16 MB limit`,
    code: 'response-too-large',
    retryable: false,
  });
  expect(await filesOfRun(ctx.runId)).toBe(0);
  const chunks = await mongoose.connection
    .db!.collection('blobs.chunks')
    .countDocuments({ files_id: { $nin: await mongoose.connection.db!.collection('blobs.files').distinct('_id') } });
  expect(chunks).toBe(0); // the chunks written before the limit was passed are gone too
});

test('a file response cannot be paginated: refused in the editor and at run time', async () => {
  expect(() =>
    compileOrThrow(
      workflowDoc(
        [
          { id: 'trigger', type: 'manual-trigger' },
          { id: 'dl', type: 'http-request', params: { url: `${base}/x`, response: 'file', pagination: 'link-header' } },
        ],
        [['trigger', 'dl']],
      ),
    ),
  ).toThrow(/a file cannot be paginated/);
  await expect(run(stepContext(), params({ pagination: 'link-header' }), {})).rejects.toThrow(
    /a file response cannot be paginated; set Pagination to None/,
  );
});

test('in a run, the downloaded PDF reaches Send email as an attachment, byte for byte', async () => {
  await harness.startWorker({ queues: ['default'] });
  const to = `hire-${randomUUID().slice(0, 8)}@acme.test`;
  const plan = compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        { id: 'offer', type: 'http-request', params: { url: `${base}/contracts/offer.pdf`, response: 'file' } },
        {
          id: 'mail',
          type: 'send-email',
          params: {
            from: 'HR <hr@acme.test>',
            to: '{{ $node("trigger").email }}',
            subject: 'Your offer',
            text: 'Attached.',
            attachments: '{{ $node("offer").file }}',
          },
        },
      ],
      [
        ['trigger', 'offer'],
        ['offer', 'mail'],
      ],
    ),
    workflowId,
  );
  const { result, steps } = await harness.run(plan, { email: to }, 90_000);
  expect({ status: result.status, error: result.error }).toEqual({ status: 'succeeded', error: undefined });
  const offer = steps.find((s) => s.nodeId === 'offer')!.output as { file: FileRef };
  expect(offer.file).toMatchObject({ name: 'offer.pdf', mimeType: 'application/pdf', bytes: PDF.length });

  const mail = await waitForMessage(to);
  expect(mail.Attachments.map((a) => [a.FileName, a.ContentType])).toEqual([['offer.pdf', 'application/pdf']]);
  expect((await attachmentContent(mail.ID, mail.Attachments[0].PartID)).equals(PDF)).toBe(true);
}, 150_000);
