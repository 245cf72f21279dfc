import type { NodeRunner, RunContext } from '../define';
import { NodeError } from '../errors';
import { CalDavError, describeDavError, openCalendar, type OpenCalendar } from './calendar-client';
import { allowListFor, resolveCalDav, type CalDavSettings } from './caldav-settings';
import { fetchOver } from './dav-fetch';
import { guardedHttp } from './guarded-http';
import { buildEvent, CalendarFieldError, eventTimes, instant, type CalendarEvent } from './event';
import { buildIcs, eventDigest, uidFor } from './ics';
import { describeStored, sequenceOf, type ListedEvent } from './stored-event';
import type { spec } from './spec';

type Params = Parameters<NodeRunner<typeof spec.params>>[1];

const LIST_DAYS = 30;
const MAX_LISTED = 1000;
// Printable, one line: a UID is matched in an XML query and quoted in messages.
// eslint-disable-next-line no-control-regex
const UID = /^[^\u0000-\u001f\u007f]{1,255}$/;

function invalid(message: string): NodeError {
  return new NodeError(`Calendar event: ${message}`, { code: 'param-invalid', retryable: false });
}

/** Runs `build`, turning a field's problem into a step error that names the parameter to fix. */
function checked<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (!(err instanceof CalendarFieldError)) throw err;
    throw invalid(`${err.message}; fix the ${err.field.replace(/ \(.*$/, '')} parameter`);
  }
}

async function settingsFor(ctx: RunContext, params: Params): Promise<CalDavSettings> {
  let settings: CalDavSettings | undefined;
  try {
    if (params.credential) {
      if (!ctx.credential) throw new Error('credentials cannot be opened where this node runs');
      const opened = await ctx.credential(params.credential, ['caldav']);
      const fromCredential = resolveCalDav(opened.values)!;
      opened.markSecret(btoa(`${fromCredential.username}:${fromCredential.password}`)); // tsdav's Basic auth header
      settings = fromCredential;
    } else settings = resolveCalDav(undefined);
  } catch (err) {
    if (err instanceof NodeError) throw err;
    throw invalid(`${(err as Error).message}; fix the CalDAV credential parameter`);
  }
  if (!settings) {
    throw invalid('no calendar server: pick a CalDAV credential, or ask an administrator to set BATON_CALDAV_URL');
  }
  return settings;
}

function uidOf(params: Params): string {
  const uid = (params.uid ?? '').trim();
  if (!uid) throw invalid(`Event UID: is required to ${params.operation} an event; fix the Event UID parameter`);
  if (!UID.test(uid))
    throw invalid('Event UID: must be one line of at most 255 characters; fix the Event UID parameter');
  return uid;
}

const summary = (event: CalendarEvent, uid: string, calendar: OpenCalendar) => ({
  uid,
  calendar: calendar.name,
  title: event.title,
  ...eventTimes(event),
  allDay: event.allDay,
  timeZone: event.timeZone,
  attendees: event.attendees.map((a) => a.address),
});

async function create(ctx: RunContext, event: CalendarEvent, calendar: OpenCalendar) {
  const uid = uidFor(ctx.idempotencyKey);
  // The same resource on every attempt: a retry after the server took the first PUT replaces it with itself.
  const url = calendar.objectUrl(`${eventDigest(ctx.idempotencyKey)}.ics`);
  const written = await calendar.put(url, buildIcs(event, { uid, sequence: 0 }));
  if (!written.created) ctx.log.info('Calendar event: an earlier attempt of this step created the event; rewrote it');
  return { operation: 'create', ...summary(event, uid, calendar), url, etag: written.etag, created: written.created };
}

async function update(event: CalendarEvent, uid: string, calendar: OpenCalendar) {
  const stored = await calendar.findByUid(uid);
  if (!stored) throw notFound(uid, calendar);
  const ics = buildIcs(event, { uid, sequence: sequenceOf(stored) + 1 });
  const written = await calendar.put(stored.url, ics, stored.etag);
  return { operation: 'update', ...summary(event, uid, calendar), url: stored.url, etag: written.etag };
}

async function remove(ctx: RunContext, uid: string, calendar: OpenCalendar) {
  const stored = await calendar.findByUid(uid);
  if (stored) await calendar.remove(stored);
  // A later attempt may find the event already gone: the attempt before it deleted it and then was cut short.
  else if (ctx.attempt === 1) throw notFound(uid, calendar);
  return { operation: 'delete', uid, calendar: calendar.name, deleted: !!stored };
}

async function list(params: Params, calendar: OpenCalendar) {
  const empty = (v: unknown) => v === undefined || v === null || v === '';
  const zone = params.timeZone || 'UTC';
  const from = checked(() => (empty(params.rangeStart) ? Date.now() : instant('From', params.rangeStart, zone)));
  const until = checked(() =>
    empty(params.rangeEnd) ? from + LIST_DAYS * 86_400_000 : instant('Until', params.rangeEnd, zone),
  );
  if (until <= from) throw invalid('Until: must be after From; fix the Until parameter');
  const range = { start: new Date(from).toISOString(), end: new Date(until).toISOString() };
  const events = (await calendar.list(range))
    .map(describeStored)
    .filter((e): e is ListedEvent => !!e)
    .sort((a, b) => String(a.start).localeCompare(String(b.start)));
  if (events.length > MAX_LISTED) {
    throw invalid(`${events.length} events fall in the range; the limit is ${MAX_LISTED}; narrow From and Until`);
  }
  return {
    operation: 'list',
    calendar: calendar.name,
    from: range.start,
    until: range.end,
    count: events.length,
    events,
  };
}

function notFound(uid: string, calendar: OpenCalendar): NodeError {
  return new NodeError(
    `Calendar event: Event UID: no event has the UID "${uid}" in calendar "${calendar.name}"; fix the Event UID parameter`,
    { code: 'not-found', retryable: false },
  );
}

export const run: NodeRunner<typeof spec.params> = async (ctx, params) => {
  const writes = params.operation === 'create' || params.operation === 'update';
  const event = writes ? checked(() => buildEvent(params)) : undefined;
  const uid = params.operation === 'update' || params.operation === 'delete' ? uidOf(params) : '';
  const settings = await settingsFor(ctx, params);
  const fetch = fetchOver(guardedHttp(allowListFor(settings), ctx.signal));
  try {
    const calendar = await openCalendar(settings, params.calendar ?? '', fetch);
    if (params.operation === 'create') return await create(ctx, event!, calendar);
    if (params.operation === 'update') return await update(event!, uid, calendar);
    if (params.operation === 'delete') return await remove(ctx, uid, calendar);
    return await list(params, calendar);
  } catch (err) {
    const described = describeDavError(err, settings);
    if (!(described instanceof CalDavError)) throw described;
    const fix = described.field ? `; fix the ${described.field} parameter` : '';
    throw new NodeError(`Calendar event: ${described.message}${fix}`, {
      code: described.code,
      retryable: described.retryable,
    });
  }
};
