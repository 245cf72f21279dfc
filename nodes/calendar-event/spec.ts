// Creates, updates, deletes or lists events in a CalDAV calendar (Nextcloud, Fastmail, iCloud, Radicale…) through
// tsdav. A created event's UID derives from the step's idempotency key and names its resource, so a retried create
// writes the same event again instead of a second one. Update and delete find the event by UID.
import { defineNode, param, type ParamProblem } from '../define';
import { eventParams, missingParams } from './event-params';

export const OPERATIONS = ['create', 'update', 'delete', 'list'] as const;
const writes = { param: 'operation', oneOf: ['create', 'update'] };
const event = eventParams(writes);

type Operation = (typeof OPERATIONS)[number];
const EVENT_FIELDS = [
  ['title', 'Title'],
  ['start', 'Start'],
  ['end', 'End'],
] as const;
/** What each operation needs filled in. */
const NEEDS: Record<Operation, ReadonlyArray<readonly [string, string]>> = {
  create: EVENT_FIELDS,
  update: [['uid', 'Event UID'], ...EVENT_FIELDS],
  delete: [['uid', 'Event UID']],
  list: [],
};

export const spec = defineNode({
  type: 'calendar-event',
  version: 1,
  title: 'Calendar event',
  description: 'Create, update, delete or list events in a CalDAV calendar; outputs the event’s UID and times.',
  category: 'integration',
  icon: 'calendar',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Done' }],
  params: {
    operation: param.select({
      label: 'Operation',
      placeholder: 'create',
      values: OPERATIONS,
      options: [
        { value: 'create', label: 'Create an event' },
        { value: 'update', label: 'Update an event (by UID)' },
        { value: 'delete', label: 'Delete an event (by UID)' },
        { value: 'list', label: 'List events in a time range' },
      ],
      default: 'create',
      expression: false,
    }),
    credential: param.credential({
      label: 'CalDAV credential',
      description:
        "The calendar server and account. None: this Baton's own calendar server, if an administrator set one.",
      placeholder: "This Baton's calendar server",
      types: ['caldav'],
    }),
    calendar: param.text({
      label: 'Calendar',
      description: 'Its name as your calendar app shows it, or its URL. Empty: the account’s first calendar.',
      placeholder: 'Onboarding',
      maxLength: 2048,
    }),
    uid: param.text({
      label: 'Event UID',
      description: 'The UID a Create step output, e.g. {{ $node("Create event").uid }}.',
      placeholder: '{{ $node("Create event").uid }}',
      maxLength: 255,
      showWhen: { param: 'operation', oneOf: ['update', 'delete'] },
    }),
    ...event,
    // List reads From and Until on this zone's clock too.
    timeZone: {
      ...event.timeZone,
      ui: { ...event.timeZone.ui, showWhen: { ...writes, oneOf: [...writes.oneOf, 'list'] } },
    },
    organizer: param.text({
      label: 'Organizer',
      description: 'Who the event is from; attendees’ apps show it. Empty: none.',
      placeholder: 'HR <hr@acme.com>',
      maxLength: 1024,
      showWhen: writes,
    }),
    rangeStart: param.anyValue({
      label: 'From',
      description:
        'Events that end after this time are listed (on the Time zone’s clock without an offset). Empty: now.',
      placeholder: '2026-01-01T00:00:00Z',
      maxLength: 256,
      showWhen: { param: 'operation', oneOf: ['list'] },
    }),
    rangeEnd: param.anyValue({
      label: 'Until',
      description: 'Events that start before this time are listed. Empty: 30 days after From.',
      placeholder: '2026-02-01T00:00:00Z',
      maxLength: 256,
      showWhen: { param: 'operation', oneOf: ['list'] },
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default' },
  // Discovery takes a few requests before the one that writes; each has its own 30 s limit.
  policy: { timeoutMs: 120_000 },
  check(params): ParamProblem[] {
    const operation = params.operation ?? 'create';
    if (typeof operation !== 'string' || !Object.hasOwn(NEEDS, operation)) return [];
    return missingParams(params, NEEDS[operation as Operation], `to ${operation} an event`);
  },
});
