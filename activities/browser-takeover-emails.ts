// Emails the people a takeover task asks (docs/decisions/059), through the instance's mail server (BATON_SMTP_URL):
// the step, why it failed and a link to the task, where they sign in. Sent once per task and person, so a repeated
// call sends nothing twice. No mail server: nothing is sent, and people find the task in their inbox.
import type { TakeoverTask } from '../contracts/browser-takeover';
import { doOnce } from '../db/effect-marks';
import { publicBaseUrl } from '../db/resume-links';
import { getUserById } from '../db/users';
import { sendMail } from '../nodes/send-email/mailer';
import { addressList, isEmailAddress } from '../nodes/send-email/message';
import { resolveSmtp } from '../nodes/send-email/smtp-settings';

const DEFAULT_FROM = 'Baton <baton@baton.localhost>';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function takeoverEmail(task: TakeoverTask): { subject: string; text: string; html: string } {
  const link = `${publicBaseUrl()}/takeovers/${encodeURIComponent(task.id)}`;
  const subject = `Browser needs a person: ${task.step} (${task.workflowName})`.replace(/[\r\n]+/g, ' ').slice(0, 200);
  const until = new Date(task.deadlineAt).toUTCString();
  const text = [
    `The workflow "${task.workflowName}" is waiting for someone to finish a browser step by hand.`,
    '',
    `${task.step} failed: ${task.reason}`,
    `Page: ${task.url}`,
    '',
    `Take over: ${link}`,
    `It waits until ${until}; then the step fails.`,
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.4">',
    `<p>The workflow <strong>${escapeHtml(task.workflowName)}</strong> is waiting for someone to finish a browser step by hand.</p>`,
    `<p><strong>${escapeHtml(task.step)}</strong> failed: ${escapeHtml(task.reason)}</p>`,
    `<p><a href="${escapeHtml(link)}">Take over</a></p>`,
    `<p style="color:#555">It waits until ${escapeHtml(until)}; then the step fails.</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

export async function emailTakeover(task: TakeoverTask): Promise<{ sent: number }> {
  const smtp = resolveSmtp(undefined);
  if (!smtp) return { sent: 0 };
  const [from] = addressList('BATON_SMTP_FROM', smtp.from ?? process.env.BATON_SMTP_FROM ?? DEFAULT_FROM);
  const content = takeoverEmail(task);
  let sent = 0;
  for (const userId of task.eligible) {
    const user = await getUserById(userId);
    if (!user || !isEmailAddress(user.email)) continue;
    const key = `takeover-email:${task.id}:${userId}`;
    const { repeated } = await doOnce(key, () =>
      sendMail(
        smtp,
        { from: from!, to: [{ address: user.email }], cc: [], bcc: [], replyTo: [], attachments: [], ...content },
        { idempotencyKey: key },
      ),
    );
    if (!repeated) sent += 1;
  }
  return { sent };
}
