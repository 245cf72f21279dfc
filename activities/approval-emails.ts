// Emails to approvers: one message per approver with their own signed link (db/approval-links.ts), the workflow and
// title in the subject, the summary and a readable excerpt of the data, as plain text and simple HTML. Each message is
// sent once per (approval, level, approver, notice): a retried activity finds the sent-mark and skips it.
import { currentLevel } from '../contracts/approval-rules';
import type { ApprovalRequest } from '../contracts/approvals';
import { isBlobRef } from '../contracts/blob-ref';
import { isFileRef } from '../contracts/file-ref';
import { approvalLink } from '../db/approval-links';
import { doOnce } from '../db/effect-marks';
import { publicBaseUrl } from '../db/resume-links';
import { MailSendError, sendMail } from '../nodes/send-email/mailer';
import { addressList, isEmailAddress, type MailAddress } from '../nodes/send-email/message';
import type { SmtpSettings } from '../nodes/send-email/smtp-settings';
import { formatSize } from '../nodes/json-value';

export { resolveSmtp, type SmtpSettings } from '../nodes/send-email/smtp-settings';

export interface ApprovalRecipient {
  userId: string;
  email: string;
  name?: string;
}

export interface ApprovalEmailOptions {
  /** A reminder before the deadline, or the request itself (on opening, escalating or delegating). */
  kind?: 'request' | 'reminder';
  /** When the reminder was due (workflow time): each reminder is sent once, and a later one again. */
  at?: string;
}

/** Without a level deadline, a link works this long; the inbox works for as long as the request is open. */
export const LINK_LIFETIME_MS = 30 * 86_400_000;
const EXCERPT_CHARS = 2000;
const DEFAULT_FROM = 'Baton <baton@baton.localhost>';

/**
 * Sends each recipient their email, unless it was sent before. No SMTP server: sends nothing (people decide in the
 * inbox). Recipients without a usable address are skipped and listed. When some sends fail, the rest still go out,
 * then the first failure is thrown (retryable when the server may accept later), so a retry sends only what is left.
 */
export async function sendApprovalEmails(
  request: ApprovalRequest,
  recipients: ApprovalRecipient[],
  smtp: SmtpSettings | undefined,
  opts: ApprovalEmailOptions = {},
): Promise<{ sent: number; alreadySent: number; skipped: string[] }> {
  const result = { sent: 0, alreadySent: 0, skipped: [] as string[] };
  if (!smtp) return result;
  const kind = opts.kind ?? 'request';
  const level = currentLevel(request);
  const deadline = request.levels[level]?.deadlineAt;
  const expiresAt = deadline ? new Date(deadline) : new Date(Date.now() + LINK_LIFETIME_MS);
  const from = senderOf(smtp);
  const failures: MailSendError[] = [];
  for (const recipient of recipients) {
    if (!isEmailAddress(recipient.email)) {
      result.skipped.push(recipient.userId);
      continue;
    }
    const key = ['approval-email', request.id, level, recipient.userId, kind, ...(opts.at ? [opts.at] : [])].join(':');
    const link = approvalLink(request.id, recipient.userId, expiresAt);
    const content = approvalEmail(request, recipient, { link, expiresAt, reminder: kind === 'reminder' });
    const to: MailAddress = { address: recipient.email, ...(recipient.name ? { name: oneLine(recipient.name) } : {}) };
    try {
      const { repeated } = await doOnce(key, () =>
        sendMail(
          smtp,
          { from, to: [to], cc: [], bcc: [], replyTo: [], attachments: [], ...content },
          {
            idempotencyKey: key,
          },
        ),
      );
      if (repeated) result.alreadySent += 1;
      else result.sent += 1;
    } catch (err) {
      failures.push(err instanceof MailSendError ? err : new MailSendError((err as Error).message, true));
    }
  }
  if (failures.length) {
    const first = failures[0];
    throw new MailSendError(
      `${failures.length} of ${recipients.length} approval emails for "${request.title}" were not sent: ${first.message}`,
      failures.some((f) => f.retryable),
    );
  }
  return result;
}

function senderOf(smtp: SmtpSettings): MailAddress {
  const configured = smtp.from ?? process.env.BATON_SMTP_FROM ?? DEFAULT_FROM;
  const [from] = addressList(`The sender of ${smtp.source}`, configured);
  if (!from) throw new MailSendError(`${smtp.source} names no sender address; set its From field`, false);
  return from;
}

/** Header text from people's input (titles, names): one line, no control characters, bounded. */
function oneLine(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A file value as people know it, by name and size: its reference (id, signature) means nothing in a mail. */
const fileAsName = (_key: string, value: unknown) =>
  isFileRef(value) ? `${value.name} (file, ${formatSize(value.bytes)})` : value;

/** The data under review for people: `key: value` lines for an object, JSON otherwise, cut at a readable length. */
export function dataExcerpt(data: unknown): string {
  if (data === undefined || data === null) return '';
  if (isBlobRef(data)) return '(a large value; open the approval to see it)';
  let text: string;
  if (typeof data === 'object' && !Array.isArray(data) && !isFileRef(data)) {
    text = Object.entries(data as Record<string, unknown>)
      .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value, fileAsName)}`)
      .join('\n');
  } else {
    text = typeof data === 'string' ? data : JSON.stringify(data, fileAsName, 2);
  }
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}\n… (more in the approval)` : text;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function approvalEmail(
  request: ApprovalRequest,
  recipient: Pick<ApprovalRecipient, 'name'>,
  opts: { link: string; expiresAt: Date; reminder?: boolean },
): { subject: string; text: string; html: string } {
  const title = oneLine(request.title);
  const workflow = oneLine(request.workflowName);
  const subject = `${opts.reminder ? 'Reminder: approval' : 'Approval'} needed: ${title} (${workflow})`;
  const excerpt = dataExcerpt(request.data);
  const expires = opts.expiresAt.toUTCString();
  const inbox = `${publicBaseUrl()}/inbox`;
  const greeting = recipient.name ? `Hello ${oneLine(recipient.name)},` : 'Hello,';
  const text = [
    greeting,
    '',
    `The workflow "${workflow}" is waiting for your approval: ${title}`,
    ...(request.summary ? ['', request.summary] : []),
    ...(excerpt ? ['', 'Data under review:', excerpt] : []),
    '',
    `Review and decide: ${opts.link}`,
    `The link opens a page where you confirm your decision; it works until ${expires}.`,
    `Your inbox: ${inbox}`,
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.4">',
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>The workflow <strong>${escapeHtml(workflow)}</strong> is waiting for your approval: <strong>${escapeHtml(title)}</strong></p>`,
    ...(request.summary ? [`<p>${escapeHtml(request.summary)}</p>`] : []),
    ...(excerpt
      ? [`<p>Data under review:</p><pre style="background:#f4f4f5;padding:8px">${escapeHtml(excerpt)}</pre>`]
      : []),
    `<p><a href="${escapeHtml(opts.link)}">Review and decide</a></p>`,
    `<p style="color:#555">The link opens a page where you confirm your decision; it works until ${escapeHtml(expires)}. ` +
      `Your inbox: <a href="${escapeHtml(inbox)}">${escapeHtml(inbox)}</a></p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
