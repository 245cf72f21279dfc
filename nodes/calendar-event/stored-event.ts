// An event as read back from a CalDAV server, in the shape a List step outputs.
import type { StoredEvent } from './calendar-client';
import { lastDay, property, readEvents, textOf, timeOf, type IcsProperty } from './ics-read';

export interface ListedEvent {
  uid?: string;
  title?: string;
  start?: string;
  end?: string;
  allDay: boolean;
  timeZone?: string;
  location?: string;
  description?: string;
  organizer?: string;
  attendees: Array<{ address: string; name?: string; status?: string }>;
  recurring: boolean;
  url: string;
  etag?: string;
}

const address = (value: string) => value.replace(/^mailto:/i, '');

function attendeesOf(event: IcsProperty[]): ListedEvent['attendees'] {
  return event
    .filter((p) => p.name === 'ATTENDEE')
    .map((p) => ({
      address: address(p.value),
      ...(p.params.CN ? { name: p.params.CN } : {}),
      ...(p.params.PARTSTAT ? { status: p.params.PARTSTAT } : {}),
    }));
}

/** The event of a calendar object resource: its first VEVENT (a recurring series' master). */
export function describeStored(stored: StoredEvent): ListedEvent | undefined {
  const event = readEvents(stored.data)[0];
  if (!event) return undefined;
  const start = timeOf(property(event, 'DTSTART'));
  const end = timeOf(property(event, 'DTEND'));
  const organizer = property(event, 'ORGANIZER');
  return {
    uid: property(event, 'UID')?.value,
    title: textOf(event, 'SUMMARY'),
    start: start.time,
    end: start.allDay && end.allDay && end.time ? lastDay(end.time) : end.time,
    allDay: start.allDay,
    ...(start.zone ? { timeZone: start.zone } : {}),
    location: textOf(event, 'LOCATION'),
    description: textOf(event, 'DESCRIPTION'),
    organizer: organizer ? address(organizer.value) : undefined,
    attendees: attendeesOf(event),
    recurring: !!property(event, 'RRULE'),
    url: stored.url,
    etag: stored.etag,
  };
}

/** The SEQUENCE of the stored event (0 when it has none). */
export function sequenceOf(stored: StoredEvent): number {
  const value = Number(property(readEvents(stored.data)[0] ?? [], 'SEQUENCE')?.value);
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}
