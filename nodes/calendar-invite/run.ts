import { buildEvent, CalendarFieldError, eventTimes, type CalendarEvent } from '../calendar-event/event';
import { buildIcs, uidFor } from '../calendar-event/ics';
import { formatInstant } from '../date-time/format';
import type { NodeRunner } from '../define';
import { NodeError } from '../errors';
import { MailSendError, sendMail, type SentMail } from '../send-email/mailer';
import { buildMail, MailFieldError } from '../send-email/message';
import { smtpForStep } from '../send-email/smtp-settings';
import type { spec } from './spec';

const DEFAULT_FROM = 'Baton <baton@baton.localhost>';
// Printable, one line: the UID goes into the iCalendar text and messages.
// eslint-disable-next-line no-control-regex
const UID = /^[^\u0000-\u001f\u007f]{1,255}$/;

function invalid(message: string): NodeError {
  return new NodeError(`Calendar invite: ${message}`, { code: 'param-invalid', retryable: false });
}

/** Runs `build`, turning a field's problem into a step error that names the parameter to fix. */
function checked<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (!(err instanceof CalendarFieldError || err instanceof MailFieldError)) throw err;
    const field = err.field.replace(/ \(.*$/, '');
    throw invalid(`${err.message}; fix the ${field === 'From' ? 'From (organizer)' : field} parameter`);
  }
}

/** The email's text when the step gives none: what, when (on the event's clock) and where. */
function defaultText(event: CalendarEvent): string {
  const at = (date: Date, pattern: string) => formatInstant(date.getTime(), event.timeZone, pattern);
  const { start, end } = eventTimes(event);
  const when = event.allDay
    ? start === end
      ? start
      : `${start} to ${end}`
    : `${at(event.start, 'yyyy-MM-dd HH:mm')} to ${at(event.end, 'yyyy-MM-dd HH:mm')} (${event.timeZone})`;
  return [event.title, `When: ${when}`, event.location && `Where: ${event.location}`, '', event.description]
    .filter((line) => line !== undefined)
    .join('\n')
    .trim();
}

export const run: NodeRunner<typeof spec.params> = async (ctx, params) => {
  const draft = checked(() => buildEvent(params));
  if (draft.attendees.length === 0) throw invalid('Attendees: names no one; fix the Attendees parameter');
  const uid = (params.uid ?? '').trim() || uidFor(ctx.idempotencyKey);
  if (!UID.test(uid))
    throw invalid('Event UID: must be one line of at most 255 characters; fix the Event UID parameter');
  const smtp = await smtpForStep(ctx, params.credential, invalid);
  const mail = checked(() =>
    buildMail({
      from: params.from || smtp.from || process.env.BATON_SMTP_FROM || DEFAULT_FROM,
      to: draft.attendees,
      subject: params.subject || `${params.method === 'cancel' ? 'Cancelled' : 'Invitation'}: ${draft.title}`,
      text: params.text || defaultText(draft),
    }),
  );
  const event = { ...draft, organizer: mail.from };
  const method = params.method === 'cancel' ? 'CANCEL' : 'REQUEST';
  const sequence = params.sequence ?? 0;
  const calendar = { method, content: buildIcs(event, { uid, sequence, method }), filename: 'invite.ics' };
  if (!ctx.once) throw invalid('this node cannot run here: it needs the run store to send exactly once');
  try {
    const { result } = await ctx.once<SentMail>('calendar-invite', () =>
      sendMail(smtp, { ...mail, calendar }, { idempotencyKey: ctx.idempotencyKey, signal: ctx.signal }),
    );
    return { ...result, uid, sequence, method, title: event.title, ...eventTimes(event), timeZone: event.timeZone };
  } catch (err) {
    if (err instanceof MailSendError) {
      throw new NodeError(`Calendar invite: ${err.message}`, { code: 'smtp', retryable: err.retryable });
    }
    throw err;
  }
};
