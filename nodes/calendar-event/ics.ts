// iCalendar text for one event, written by ical-generator. Times go out in UTC: without a VTIMEZONE generator
// (docs/decisions/047) a TZID would name a zone the file does not define, and a UTC instant every reader places
// right. The UID derives from the step's idempotency key, so a retried step writes the same event again.
import { createHash } from 'node:crypto';
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { CalendarEvent } from './event';

/** `METHOD` of an invite by email (RFC 5546); events stored on a CalDAV server carry none (RFC 4791 §4.1). */
export type InviteMethod = 'REQUEST' | 'CANCEL';

export interface IcsOptions {
  uid: string;
  /** Raised by every change an attendee's calendar should take over an earlier copy. */
  sequence: number;
  method?: InviteMethod;
}

const PRODUCT = { company: 'Baton', product: 'Baton workflows', language: 'EN' };

/** The digest a step's event is named by: its UID (`<digest>@baton`) and, on a CalDAV server, `<digest>.ics`. */
export function eventDigest(idempotencyKey: string): string {
  return createHash('sha256').update(`calendar-event:${idempotencyKey}`).digest('hex').slice(0, 32);
}

export const uidFor = (idempotencyKey: string) => `${eventDigest(idempotencyKey)}@baton`;

export function buildIcs(event: CalendarEvent, options: IcsOptions): string {
  const calendar = ical({
    prodId: PRODUCT,
    ...(options.method ? { method: ICalCalendarMethod[options.method] } : {}),
  });
  calendar.createEvent({
    id: options.uid,
    sequence: options.sequence,
    start: event.start,
    end: event.end,
    allDay: event.allDay,
    summary: event.title,
    location: event.location ?? null,
    description: event.description ?? null,
    // ical-generator requires a name (CN); a bare address stands for itself, as mail clients show it.
    organizer: event.organizer
      ? { name: event.organizer.name || event.organizer.address, email: event.organizer.address }
      : null,
    attendees: event.attendees.map((attendee) => ({
      email: attendee.address,
      name: attendee.name,
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: options.method === 'REQUEST',
    })),
    status: options.method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}
