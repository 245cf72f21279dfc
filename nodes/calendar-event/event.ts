// The event a Calendar step writes (to a CalDAV calendar, or as an invite by email), checked field by field and
// reported by the label the node's form shows ("Start", "Attendees (entry 2)"). Times are read on the clock of an
// IANA time zone (the Date & time node's parser); attendees follow the Send Email node's address rules, so no value
// from upstream data can add a recipient or a header line.
import { parseDate } from '../date-time/parse';
import { DAY, wallAt, zoneProblem } from '../date-time/zone';
import { NodeError } from '../errors';
import { addressList, headerText, MailFieldError, type MailAddress } from '../send-email/message';

/** A field of the event, by its label, and what is wrong with it. */
export class CalendarFieldError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'CalendarFieldError';
  }
}

export interface CalendarEvent {
  title: string;
  /** Timed events: the instants. All-day events: UTC midnight of the first day, and of the day after the last. */
  start: Date;
  end: Date;
  allDay: boolean;
  timeZone: string;
  location?: string;
  description?: string;
  organizer?: MailAddress;
  attendees: MailAddress[];
}

export interface EventDraft {
  title: unknown;
  start: unknown;
  end: unknown;
  timeZone?: unknown;
  allDay?: unknown;
  location?: unknown;
  description?: unknown;
  organizer?: unknown;
  attendees?: unknown;
}

export const MAX_ATTENDEES = 100;
const MAX_TITLE = 998;
const MAX_LOCATION = 1024;
// Line breaks and tabs are text; other control characters have no meaning in a calendar and break some readers.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Runs `check`, turning the Send Email address checks' errors into this event's field errors. */
function asEventField<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof MailFieldError) throw new CalendarFieldError(err.field, err.message.slice(err.field.length + 2));
    throw err;
  }
}

export function instant(field: string, value: unknown, zone: string): number {
  try {
    return parseDate(value, zone, field, Date.now);
  } catch (err) {
    // The Date & time parser names its own node; this field's label follows its prefix.
    if (err instanceof NodeError)
      throw new CalendarFieldError(field, err.message.replace(`Date & time: ${field} `, ''));
    throw err;
  }
}

/** UTC midnight of the day `at` falls on, on the zone's clock. */
const dayOf = (at: number, zone: string) => Math.floor(wallAt(at, zone) / DAY) * DAY;

function optionalText(field: string, value: unknown, max: number, oneLine: boolean): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (oneLine) return asEventField(() => headerText(field, value, max));
  if (typeof value !== 'string') throw new CalendarFieldError(field, `must be text, not ${typeof value}`);
  if (CONTROL.test(value)) throw new CalendarFieldError(field, 'contains a control character');
  return value;
}

/** The event checked field by field; the first problem is thrown as a CalendarFieldError. */
export function buildEvent(draft: EventDraft): CalendarEvent {
  const title = asEventField(() => headerText('Title', draft.title ?? '', MAX_TITLE)).trim();
  if (!title) throw new CalendarFieldError('Title', 'is required');
  const timeZone = draft.timeZone === undefined || draft.timeZone === '' ? 'UTC' : draft.timeZone;
  if (typeof timeZone !== 'string') throw new CalendarFieldError('Time zone', `must be text, not ${typeof timeZone}`);
  const zone = zoneProblem(timeZone);
  if (zone) throw new CalendarFieldError('Time zone', zone);
  const allDay = draft.allDay === true;
  let start = instant('Start', draft.start, timeZone);
  let end = instant('End', draft.end, timeZone);
  if (allDay) {
    start = dayOf(start, timeZone);
    end = dayOf(end, timeZone);
    if (end < start)
      throw new CalendarFieldError('End', 'is a day before the start; the last day comes after the first');
    end += DAY; // the last day is part of the event, and iCalendar's end is exclusive
  } else if (end <= start) {
    const when = end === start ? 'is the same time as the start' : 'is before the start';
    throw new CalendarFieldError('End', `${when} (${new Date(end).toISOString()}); an event must end after it starts`);
  }
  const organizers = asEventField(() => addressList('Organizer', draft.organizer));
  if (organizers.length > 1) throw new CalendarFieldError('Organizer', 'must be one address');
  const attendees = asEventField(() => addressList('Attendees', draft.attendees));
  if (attendees.length > MAX_ATTENDEES) {
    throw new CalendarFieldError('Attendees', `names ${attendees.length} people; the limit is ${MAX_ATTENDEES}`);
  }
  return {
    title,
    start: new Date(start),
    end: new Date(end),
    allDay,
    timeZone,
    location: optionalText('Location', draft.location, MAX_LOCATION, true),
    description: optionalText('Description', draft.description, 64 * 1024, false),
    organizer: organizers[0],
    attendees,
  };
}

/** How a step reports the event's times: ISO instants, or the first and last day of an all-day event. */
export function eventTimes(event: Pick<CalendarEvent, 'start' | 'end' | 'allDay'>): { start: string; end: string } {
  if (!event.allDay) return { start: event.start.toISOString(), end: event.end.toISOString() };
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { start: day(event.start.getTime()), end: day(event.end.getTime() - DAY) };
}
