// Emails a calendar invite (iCalendar, RFC 5546) to the attendees through the Send Email node's SMTP path: the
// message carries a `text/calendar; method=REQUEST` part and the same event as invite.ics. The event's UID derives
// from the step's idempotency key, and a retried step sends nothing more (sent-marks, as Send Email).
import { defineNode, param, type ParamProblem } from '../define';
import { eventParams, missingParams } from '../calendar-event/event-params';

const event = eventParams();

export const spec = defineNode({
  type: 'calendar-invite',
  version: 1,
  title: 'Calendar invite',
  description: 'Email a meeting invite (.ics) that attendees accept into their calendar; outputs its UID.',
  category: 'integration',
  icon: 'calendar',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Sent' }],
  params: {
    credential: param.credential({
      label: 'SMTP credential',
      description: "The mail server to send through. None: this Baton's own mail server, if an administrator set one.",
      placeholder: "This Baton's mail server",
      types: ['smtp'],
    }),
    from: param.text({
      label: 'From (organizer)',
      description: "The sender, shown as the event's organizer. Empty: the credential's From, else this Baton's.",
      placeholder: 'HR <hr@acme.com>',
      maxLength: 1024,
    }),
    attendees: { ...event.attendees, ui: { ...event.attendees.ui, required: true } },
    title: event.title,
    start: event.start,
    end: event.end,
    timeZone: event.timeZone,
    allDay: event.allDay,
    location: event.location,
    description: event.description,
    subject: param.text({
      label: 'Subject',
      description: 'Empty: "Invitation: " and the title.',
      placeholder: 'Invitation: {{ $input.name }}’s first day',
      maxLength: 998,
    }),
    text: param.textarea({
      label: 'Message',
      description: 'The email’s text. Empty: the title, time, place and description.',
      placeholder: 'Hello {{ $input.name }}, see you on Monday!',
    }),
    method: param.select({
      label: 'Send',
      placeholder: 'request',
      values: ['request', 'cancel'] as const,
      options: [
        { value: 'request', label: 'An invite (or an update of one)' },
        { value: 'cancel', label: 'A cancellation' },
      ],
      default: 'request',
      expression: false,
    }),
    uid: param.text({
      label: 'Event UID',
      description:
        'Empty: one made for this step. To update or cancel an invite sent earlier, its UID, e.g. {{ $node("Invite").uid }}.',
      placeholder: '{{ $node("Invite").uid }}',
      maxLength: 255,
    }),
    sequence: param.number({
      label: 'Revision',
      description: 'Raise it with each update or cancellation of the same UID, so calendars take the newest.',
      placeholder: '0',
      default: 0,
      int: true,
      min: 0,
      max: 2_147_483_647,
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default' },
  policy: { timeoutMs: 180_000 },
  check(params): ParamProblem[] {
    return missingParams(
      params,
      [
        ['title', 'Title'],
        ['start', 'Start'],
        ['end', 'End'],
      ],
      'to send an invite',
    );
  },
});
