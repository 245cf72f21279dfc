// Send Email when its worker is SIGKILLed in the middle of the SMTP conversation (Temporal, worker processes, the
// store, Mailpit). An SMTP proxy between the worker and Mailpit makes the step stop at a chosen point, so the kill
// lands there without timing:
// - before the server accepted the message (the end of DATA held back): the new worker's retry sends it, and the
//   recipient gets exactly one mail;
// - after the server accepted it but before its reply reached the worker (the reply held back): no sent-mark exists,
//   so the retry sends again. This is the window decision 046's marks leave open (db/effect-marks.ts): both copies
//   carry the same Message-ID, derived from the step's key, by which receiving servers drop the second.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { listSteps } from '../../db/steps';
import { ensureMailpit, messagesTo, waitForMessage, type Mailpit } from '../../test/mailbox';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';
import { waitForRun } from '../../temporal/client';

type HoldPoint = 'before-accept' | 'after-accept';

/**
 * A TCP proxy to the real SMTP server. Armed, it holds the next message at `point`: the client's end-of-data line
 * (never forwarded, so the server discards the message when the client dies), or the server's reply to it (the
 * message is stored, the client never hears so). Unarmed, it passes everything.
 */
interface SmtpProxy {
  url: string;
  arm(point: HoldPoint): Promise<void>;
  close(): Promise<void>;
}

async function startSmtpProxy(upstreamUrl: string): Promise<SmtpProxy> {
  const upstream = new URL(upstreamUrl);
  let armed: { point: HoldPoint; held: () => void } | undefined;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const server = net.connect({ host: upstream.hostname, port: Number(upstream.port) });
    sockets.add(client).add(server);
    let sent = '';
    let holdingRequest = false;
    let holdingReplies = false;
    client.on('data', (chunk: Buffer) => {
      if (holdingRequest) return;
      sent += chunk.toString('latin1');
      const data = sent.search(/(^|\r\n)DATA\r\n/i);
      const ended = data >= 0 && sent.indexOf('\r\n.\r\n', data) >= 0;
      const hold = ended ? armed : undefined;
      if (hold) armed = undefined;
      if (hold?.point === 'before-accept') holdingRequest = true;
      else server.write(chunk);
      if (hold?.point === 'after-accept') holdingReplies = true;
      hold?.held();
    });
    server.on('data', (chunk: Buffer) => holdingReplies || client.write(chunk));
    for (const [a, b] of [
      [client, server],
      [server, client],
    ]) {
      a.on('close', () => b.destroy()); // the worker died: the server sees the connection drop mid-message
      a.on('error', () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    arm: (point) => new Promise<void>((held) => (armed = { point, held })),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let mailpit: Mailpit;
let proxy: SmtpProxy;
let harness: RunHarness;
beforeAll(async () => {
  mailpit = await ensureMailpit();
  proxy = await startSmtpProxy(mailpit.smtpUrl);
  harness = await startRunHarness('send_email_kill');
}, 60_000);
afterEach(() => harness.stopWorkers());
afterAll(async () => {
  await harness?.close();
  await proxy?.close();
  await mailpit?.stop();
});

function welcomePlan(name: string) {
  return compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        {
          id: 'welcome',
          type: 'send-email',
          params: {
            from: 'HR <hr@acme.test>',
            to: '{{ $input.email }}',
            subject: 'Welcome, {{ $input.name }}',
            text: 'Hello {{ $input.name }}.',
          },
          // A short attempt timeout: the killed attempt is retried soon after the new worker is up.
          policy: { timeoutMs: 8000, retry: { maximumAttempts: 3, initialIntervalMs: 200, backoffCoefficient: 1 } },
        },
        { id: 'done', type: 'set-fields', params: { fields: { done: true } } },
      ],
      [
        ['trigger', 'welcome'],
        ['welcome', 'done'],
      ],
    ),
    name,
  );
}

/** Starts a run whose email stops at `point`, SIGKILLs its worker there, and lets a new worker finish the run. */
async function killDuringSend(point: HoldPoint, email: string) {
  const held = proxy.arm(point);
  const first = await harness.startWorker({ queues: ['default'], env: { BATON_SMTP_URL: proxy.url } });
  const runId = await harness.start(welcomePlan(`wf-kill-${point}`), { email, name: 'Ada' });
  await held;
  if (point === 'after-accept') await waitForMessage(email); // stored by the server before the kill
  first.kill('SIGKILL');
  expect((await first.stopped).signal).toBe('SIGKILL');

  await harness.startWorker({ queues: ['default'], env: { BATON_SMTP_URL: proxy.url } });
  const result = await waitForRun(runId, 90_000);
  const step = (await listSteps(runId)).find((s) => s.nodeId === 'welcome')!;
  return { result, step };
}

test('SIGKILL before the mail server accepted the message: the new worker sends it, and exactly one arrives', async () => {
  const email = `hire-${randomUUID().slice(0, 8)}@acme.test`;
  const { result, step } = await killDuringSend('before-accept', email);

  expect(result.status).toBe('succeeded');
  expect(step).toMatchObject({ status: 'succeeded' });
  expect(step.attempt).toBeGreaterThanOrEqual(2); // the killed attempt was retried, not finished
  await waitForMessage(email, { subject: 'Welcome, Ada' });
  expect(await messagesTo(email)).toHaveLength(1);
}, 180_000);

test('SIGKILL after the server accepted it, before its reply: the retry sends a copy under the same Message-ID', async () => {
  const email = `hire-${randomUUID().slice(0, 8)}@acme.test`;
  const { result, step } = await killDuringSend('after-accept', email);

  expect(result.status).toBe('succeeded');
  expect(step.attempt).toBeGreaterThanOrEqual(2);
  const copies = await messagesTo(email);
  expect(copies).toHaveLength(2);
  expect(copies[0].MessageID).toBe(copies[1].MessageID);
  expect((step.output as { messageId: string }).messageId).toBe(`<${copies[0].MessageID}>`);
}, 180_000);
