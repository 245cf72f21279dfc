// The Send Email runner against a real Mailpit, with sent-marks in the real store: what it sends arrives as written,
// a retried step sends nothing more, and bad addresses or hostile header text are refused naming the field.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../../db/connection';
import { doOnce } from '../../db/effect-marks';
import {
  attachmentContent,
  ensureMailpit,
  messageHeaders,
  messagesTo,
  waitForMessage,
  type Mailpit,
} from '../../test/mailbox';
import { testDatabaseUri } from '../../test/stack';
import type { ParamsOf, RunContext } from '../define';
import { makeRunContext } from '../testing';
import { run } from './run';
import type { spec } from './spec';

let mailpit: Mailpit;
beforeAll(async () => {
  mailpit = await ensureMailpit();
  await connectDb(testDatabaseUri('baton_test_send_email'));
  await mongoose.connection.db!.dropDatabase();
});
afterAll(async () => {
  await disconnectDb();
  await mailpit.stop();
});

const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}@acme.test`;

/** A step's context whose `once` uses the real sent-marks, as the activity builds it. */
function stepContext(overrides: Partial<RunContext> = {}): RunContext {
  const key = `run-${randomUUID()}:mail:0`;
  return makeRunContext({
    idempotencyKey: key,
    once: (name, effect) => doOnce(`${key}:${name}`, effect),
    ...overrides,
  });
}

function params(overrides: Partial<ParamsOf<typeof spec.params>>): ParamsOf<typeof spec.params> {
  return { subject: 'Welcome', text: 'Hello', to: unique('someone'), ...overrides } as ParamsOf<typeof spec.params>;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the step to fail');
    },
    (err: { message: string; code?: string; retryable?: boolean }) => err,
  );

describe('Send email', () => {
  it('sends to, cc and bcc with both bodies, reply-to and an attachment, as read back from the mailbox', async () => {
    const [to, cc, bcc] = [unique('ada'), unique('manager'), unique('archive')];
    const ctx = stepContext();
    const output = (await run(
      ctx,
      params({
        from: 'HR <hr@acme.test>',
        to: [{ name: 'Ada Lovelace', address: to }],
        cc: `Grace <${cc}>`,
        bcc: [bcc],
        replyTo: 'people@acme.test',
        subject: 'Welcome, Ada — día uno',
        text: 'Hello Ada, see you Monday.',
        html: '<p>Hello <b>Ada</b>, see you Monday.</p>',
        attachments: [
          { filename: 'offer.txt', content: 'Offer for Ada', contentType: 'text/plain' },
          { filename: 'badge.bin', content: Buffer.from([0, 1, 2, 255]).toString('base64'), encoding: 'base64' },
        ],
      }),
      {},
    )) as { messageId: string; accepted: string[]; rejected: string[] };
    expect(output.accepted.sort()).toEqual([to, cc, bcc].sort());
    expect(output.rejected).toEqual([]);

    const mail = await waitForMessage(to);
    expect(mail.From).toEqual({ Name: 'HR', Address: 'hr@acme.test' });
    expect(mail.To).toEqual([{ Name: 'Ada Lovelace', Address: to }]);
    expect(mail.Cc).toEqual([{ Name: 'Grace', Address: cc }]);
    expect(mail.Bcc).toEqual([{ Name: '', Address: bcc }]);
    expect(mail.ReplyTo).toEqual([{ Name: '', Address: 'people@acme.test' }]);
    expect(mail.Subject).toBe('Welcome, Ada — día uno');
    expect(mail.Text.trim()).toBe('Hello Ada, see you Monday.');
    expect(mail.HTML).toContain('<p>Hello <b>Ada</b>, see you Monday.</p>');
    expect(`<${mail.MessageID}>`).toBe(output.messageId);
    expect((await messageHeaders(mail.ID))['X-Baton-Idempotency-Key']).toEqual([ctx.idempotencyKey]);
    const files = Object.fromEntries(mail.Attachments.map((a) => [a.FileName, a]));
    expect((await attachmentContent(mail.ID, files['offer.txt'].PartID)).toString()).toBe('Offer for Ada');
    expect([...(await attachmentContent(mail.ID, files['badge.bin'].PartID))]).toEqual([0, 1, 2, 255]);
  });

  it('does not send again when the step is retried, and answers with the first send', async () => {
    const to = unique('once');
    const ctx = stepContext();
    const first = await run(ctx, params({ to }), {});
    const retried = await run({ ...ctx, attempt: 2 }, params({ to }), {});
    expect(retried).toEqual(first);
    await waitForMessage(to);
    // Another step (another key) to the same address does send: the mailbox then shows exactly two.
    await run(stepContext(), params({ to, subject: 'Second' }), {});
    await waitForMessage(to, { subject: 'Second' });
    expect((await messagesTo(to)).map((m) => m.Subject).sort()).toEqual(['Second', 'Welcome']);
  });

  it('refuses bad addresses, naming the field', async () => {
    const cases: Array<[Partial<ParamsOf<typeof spec.params>>, RegExp]> = [
      [{ to: 'bob@' }, /To: "bob@" is not an email address; fix the To parameter/],
      [{ cc: ['ok@acme.test', 'not an address'] }, /CC \(entry 2\): "not an address" is not an email address/],
      [{ bcc: { address: 42 } }, /BCC: 42 is not an email address/],
      [{ replyTo: 'x@@acme.test' }, /Reply to: .* is not an email address/],
      [{ from: 'HR' }, /From: "HR" is not an email address/],
      [{ to: '' }, /To: names no recipient/],
      [{ text: '', html: '' }, /Text: a text or an HTML body is required/],
    ];
    for (const [overrides, message] of cases) {
      const err = await failure(run(stepContext(), params(overrides), {}));
      expect(err.message).toMatch(message);
      expect(err).toMatchObject({ code: 'param-invalid', retryable: false });
    }
  });

  it('refuses line breaks in the subject, addresses and names, so nothing adds a header or a recipient', async () => {
    const evil = unique('evil');
    const to = unique('target');
    const hostile: Array<[Partial<ParamsOf<typeof spec.params>>, RegExp]> = [
      [{ to, subject: `Hi\r\nBcc: ${evil}` }, /Subject: must be one line/],
      [{ to, subject: `Hi\nX-Injected: 1` }, /Subject: must be one line/],
      [{ to: `${to}\r\nBcc: ${evil}` }, /To: line breaks are not allowed/],
      [{ to: [{ name: `Ada\r\nBcc: ${evil}`, address: to }] }, /To \(entry 1\) name: must be one line/],
      [{ to: [{ address: `${to}\r\nBcc: ${evil}` }] }, /To \(entry 1\): .* is not an email address/],
      [{ to, from: `HR <hr@acme.test>\r\nBcc: ${evil}` }, /From: line breaks are not allowed/],
      [{ to, subject: 'Hi\u0000there' }, /Subject: contains a control character/],
      [
        { to, attachments: [{ filename: 'a\r\nb.txt', content: 'x' }] },
        /Attachments \(entry 1\) filename: must be one line/,
      ],
    ];
    for (const [overrides, message] of hostile) {
      const err = await failure(run(stepContext(), params(overrides), {}));
      expect(err.message).toMatch(message);
      expect(err.code).toBe('param-invalid');
    }
    // A message that did go out afterwards is the only one either address ever saw.
    await run(stepContext(), params({ to, subject: 'Clean' }), {});
    await waitForMessage(to);
    expect(await messagesTo(to)).toHaveLength(1);
    expect(await messagesTo(evil)).toEqual([]);
  });

  it('sends through an SMTP credential with a user and password, whose host passes the destination guard', async () => {
    const { hostname, port } = new URL(mailpit.smtpUrl);
    const values = {
      host: hostname,
      port: Number(port),
      secure: false,
      user: 'hr',
      password: 's3cret',
      from: 'HR <hr@acme.test>',
    };
    const credential: RunContext['credential'] = async (id, types) => {
      expect([id, types]).toEqual(['cred_00000000-0000-4000-8000-000000000001', ['smtp']]);
      return { type: 'smtp', values, markSecret: () => undefined };
    };
    const to = unique('cred');
    const p = params({ to, credential: 'cred_00000000-0000-4000-8000-000000000001' });
    await run(stepContext({ credential }), p, {});
    expect((await waitForMessage(to)).From).toEqual({ Name: 'HR', Address: 'hr@acme.test' });

    const allowed = process.env.BATON_HTTP_ALLOW_HOSTS;
    process.env.BATON_HTTP_ALLOW_HOSTS = '';
    try {
      const err = await failure(
        run(stepContext({ credential }), params({ to: unique('blocked'), credential: p.credential }), {}),
      );
      expect(err).toMatchObject({ code: 'ssrf-blocked' });
      expect(err.message).toMatch(/127\.0\.0\.1 is .*BATON_HTTP_ALLOW_HOSTS/);
    } finally {
      process.env.BATON_HTTP_ALLOW_HOSTS = allowed;
    }
  });

  it('fails clearly without a mail server, and on a server that is not there (retryable)', async () => {
    const smtpUrl = process.env.BATON_SMTP_URL;
    delete process.env.BATON_SMTP_URL;
    try {
      const err = await failure(run(stepContext(), params({}), {}));
      expect(err.message).toMatch(
        /no mail server: pick an SMTP credential, or ask an administrator to set BATON_SMTP_URL/,
      );
      process.env.BATON_SMTP_URL = 'smtp://127.0.0.1:1'; // nothing listens on port 1
      const down = await failure(run(stepContext(), params({}), {}));
      expect(down.message).toMatch(/Could not send through SMTP server 127\.0\.0\.1:1 \(BATON_SMTP_URL\)/);
      expect(down).toMatchObject({ code: 'smtp', retryable: true });
    } finally {
      process.env.BATON_SMTP_URL = smtpUrl;
    }
  });
});
