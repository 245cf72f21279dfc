// Sends one message over SMTP with nodemailer. The Message-ID derives from the sender's idempotency key (a step's,
// or an approval email's), so a message sent twice despite the sent-marks is recognisably the same one; the key also
// goes out as X-Baton-Idempotency-Key. Nodemailer may not read files or URLs for content: attachments are bytes.
import { createHash } from 'node:crypto';
import net from 'node:net';
import nodemailer from 'nodemailer';
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
import { ALLOW_HOSTS_ENV, normalHost, parseAllowList } from '../http-request/address-policy';
import { guardDestination } from '../http-request/destination-guard';
import type { MailAddress, OutgoingMail } from './message';
import type { SmtpSettings } from './smtp-settings';

/** An iCalendar invite: a `text/calendar; method=…` alternative part, and the same file attached as `filename`. */
export interface CalendarPart {
  method: string;
  content: string;
  filename: string;
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** The server's last reply ("250 2.0.0 Ok: queued as …"). */
  response: string;
}

/** An SMTP failure, with whether trying again later may succeed (4xx replies and network trouble). */
export class MailSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'MailSendError';
  }
}

const TIMEOUT_MS = 30_000;

export function messageIdFor(idempotencyKey: string, from: MailAddress): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
  const domain = from.address.slice(from.address.lastIndexOf('@') + 1) || 'baton.invalid';
  return `<${digest}.baton@${domain}>`;
}

/** A plain TCP socket to the server, connected through the destination guard (decision 022). */
function guardedSocket(host: string, port: number): Promise<net.Socket> {
  const target = normalHost(host);
  const lookup = guardDestination(
    new URL(`tcp://${net.isIPv6(target) ? `[${target}]` : target}`),
    parseAllowList(process.env[ALLOW_HOSTS_ENV]),
  );
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target, port, ...(lookup && { lookup }) });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

export async function sendMail(
  smtp: SmtpSettings,
  mail: OutgoingMail & { calendar?: CalendarPart },
  opts: { idempotencyKey: string; signal?: AbortSignal },
): Promise<SentMail> {
  const where = `${smtp.host}:${smtp.port} (${smtp.source})`;
  const options: SMTPTransportOptions = {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(smtp.guarded
      ? {
          getSocket: (_options, callback) =>
            void guardedSocket(smtp.host, smtp.port).then(
              (connection) => callback(null, { connection }),
              (err: Error) => callback(err),
            ),
        }
      : {}),
  };
  const transport = nodemailer.createTransport(options);
  try {
    const info = await transport.sendMail({
      from: mail.from,
      to: mail.to,
      cc: mail.cc,
      bcc: mail.bcc,
      replyTo: mail.replyTo.length ? mail.replyTo : undefined,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      attachments: mail.attachments.map((a) => ({
        filename: a.filename,
        content: a.content,
        contentType: a.contentType,
      })),
      ...(mail.calendar ? { icalEvent: mail.calendar } : {}),
      messageId: messageIdFor(opts.idempotencyKey, mail.from),
      headers: { 'X-Baton-Idempotency-Key': opts.idempotencyKey },
      signal: opts.signal,
    });
    return {
      messageId: info.messageId,
      accepted: info.accepted.map(String),
      rejected: info.rejected.map(String),
      response: info.response,
    };
  } catch (err) {
    throw describeSmtpError(err, where);
  } finally {
    transport.close();
  }
}

function describeSmtpError(err: unknown, where: string): Error {
  const { code, responseCode, response, message } = err as {
    code?: string;
    responseCode?: number;
    response?: string;
    message?: string;
  };
  if ((err as { name?: string }).name === 'NodeError') return err as Error; // the destination guard refused it
  if (code === 'EAUTH') {
    return new MailSendError(
      `SMTP server ${where} refused the login: ${response ?? message}; check the user name and password`,
      false,
    );
  }
  if (code === 'EENVELOPE') {
    return new MailSendError(
      `SMTP server ${where} refused the recipients: ${response ?? message}`,
      (responseCode ?? 500) < 500,
    );
  }
  if (responseCode) {
    return new MailSendError(`SMTP server ${where} answered ${response ?? responseCode}`, responseCode < 500);
  }
  return new MailSendError(`Could not send through SMTP server ${where}: ${code ?? ''} ${message ?? ''}`.trim(), true);
}
