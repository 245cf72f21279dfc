// One calendar on a CalDAV server, through tsdav: account discovery, the calendar a step names, and the calendar
// object resources it writes, finds by UID, deletes and lists. Every request goes through `fetch` (dav-fetch.ts).
import { createDAVClient, type DAVCalendar } from 'tsdav';
import { NodeError } from '../errors';
import type { CalDavSettings } from './caldav-settings';
import { DavRefused } from './dav-fetch';
import { property, readEvents } from './ics-read';

/** A CalDAV failure: `field` names the param to fix, when one is at fault. */
export class CalDavError extends Error {
  constructor(
    message: string,
    readonly code: 'caldav' | 'caldav-refused' | 'not-found' | 'param-invalid',
    readonly retryable: boolean,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CalDavError';
  }
}

export interface StoredEvent {
  url: string;
  etag?: string;
  data: string;
}

type Client = Awaited<ReturnType<typeof createDAVClient>>;

const where = (settings: CalDavSettings) => `${new URL(settings.serverUrl).origin} (${settings.source})`;

/** What went wrong talking to the server, in words for the person who picked the credential. */
export function describeDavError(err: unknown, settings: CalDavSettings): unknown {
  if (err instanceof CalDavError || err instanceof NodeError || (err as Error).name === 'AbortError') return err;
  if (err instanceof DavRefused) {
    const what = err.status === 401 ? 'refused the user name or password' : 'refused access';
    return new CalDavError(
      `CalDAV server ${where(settings)} ${what} (HTTP ${err.status} from ${err.url}); check the user name and password`,
      'caldav-refused',
      false,
    );
  }
  const { code, message } = err as { code?: string; message?: string };
  if (/^cannot find (principalUrl|homeUrl)/.test(message ?? '')) {
    // tsdav's discovery found no account there: a wrong address, not a passing outage.
    return new CalDavError(
      `Could not use the CalDAV server ${where(settings)}: it does not answer as a CalDAV server does (${message}); ` +
        'check the server URL',
      'caldav',
      false,
    );
  }
  return new CalDavError(`Could not use the CalDAV server ${where(settings)}: ${code ?? message}`, 'caldav', true);
}

async function connect(settings: CalDavSettings, fetch: typeof globalThis.fetch): Promise<Client> {
  return createDAVClient({
    serverUrl: settings.serverUrl,
    credentials: { username: settings.username, password: settings.password },
    authMethod: 'Basic',
    defaultAccountType: 'caldav',
    fetch,
  });
}

const hasEvents = (calendar: DAVCalendar) => !calendar.components || calendar.components.includes('VEVENT');
const nameOf = (calendar: DAVCalendar) =>
  typeof calendar.displayName === 'string' && calendar.displayName ? calendar.displayName : calendar.url;

/** The account's calendars that hold events, by name and URL (the credential's connection test). */
export async function listCalendars(settings: CalDavSettings, fetch: typeof globalThis.fetch) {
  try {
    const client = await connect(settings, fetch);
    return (await client.fetchCalendars()).filter(hasEvents).map((c) => ({ name: nameOf(c), url: c.url }));
  } catch (err) {
    throw describeDavError(err, settings);
  }
}

/** The calendar `wanted` names (display name, URL or path; empty: the first one), with what a step does to it. */
export async function openCalendar(settings: CalDavSettings, wanted: string, fetch: typeof globalThis.fetch) {
  const client = await connect(settings, fetch).catch((err: unknown) => {
    throw describeDavError(err, settings);
  });
  const calendars = (await client.fetchCalendars()).filter(hasEvents);
  const trimmed = wanted.trim();
  const path = (url: string) => new URL(url, settings.serverUrl).pathname.replace(/\/?$/, '/');
  const calendar = trimmed
    ? calendars.find(
        (c) =>
          nameOf(c).toLowerCase() === trimmed.toLowerCase() ||
          (URL.canParse(trimmed, settings.serverUrl) && path(c.url) === path(trimmed)),
      )
    : calendars[0];
  if (!calendar) {
    const names = calendars.map((c) => `"${nameOf(c)}"`).slice(0, 20);
    const problem = calendars.length
      ? `no calendar is named "${trimmed.slice(0, 200)}"; the account has ${names.join(', ')}`
      : 'the account has no calendar for events; create one in your calendar app first';
    throw new CalDavError(`Calendar: ${problem}`, 'param-invalid', false, 'Calendar');
  }
  const checked = async (response: Response, what: string, url: string) => {
    if (response.ok) return response;
    const said = (await response.text()).trim().slice(0, 300);
    const conflict = response.status === 412;
    throw new CalDavError(
      `${what} ${url} answered HTTP ${response.status}${said ? ` (${said})` : ''}` +
        (conflict ? '; the event changed while this step ran, so it is tried again' : ''),
      'caldav',
      conflict || response.status >= 500,
    );
  };
  const ics = { 'content-type': 'text/calendar; charset=utf-8' };

  return {
    name: nameOf(calendar),
    url: calendar.url,
    objectUrl: (filename: string) => new URL(filename, calendar.url.replace(/\/?$/, '/')).href,
    /**
     * Writes `url`: a change to the resource with `etag`, or (without) a new one. A resource already there was written
     * by an earlier attempt of the same step (the name derives from its key), so it is replaced: one event either way.
     */
    async put(url: string, data: string, etag?: string) {
      const write = (condition: Record<string, string>) =>
        client.createObject({ url, data, headers: { ...ics, ...condition } });
      let response = await write(etag ? { 'if-match': etag } : { 'if-none-match': '*' });
      const existed = !etag && response.status === 412;
      if (existed) response = await write({});
      await checked(response, 'Writing', url);
      return { created: !etag && !existed, etag: response.headers.get('etag') ?? undefined };
    },
    async remove(event: StoredEvent) {
      await checked(await client.deleteObject({ url: event.url, etag: event.etag }), 'Deleting', event.url);
    },
    /** The event whose UID is exactly `uid` (the server's text-match also takes parts of UIDs). */
    async findByUid(uid: string): Promise<StoredEvent | undefined> {
      const filters = {
        'comp-filter': {
          _attributes: { name: 'VCALENDAR' },
          'comp-filter': {
            _attributes: { name: 'VEVENT' },
            'prop-filter': {
              _attributes: { name: 'UID' },
              'text-match': { _attributes: { collation: 'i;octet' }, _text: uid },
            },
          },
        },
      };
      const found = await client.fetchCalendarObjects({ calendar, filters, urlFilter: Boolean });
      const stored = found.map((o) => ({ url: o.url, etag: o.etag, data: String(o.data ?? '') }));
      return stored.find((o) => readEvents(o.data).some((e) => property(e, 'UID')?.value === uid));
    },
    async list(range: { start: string; end: string }): Promise<StoredEvent[]> {
      const found = await client.fetchCalendarObjects({ calendar, timeRange: range, urlFilter: Boolean });
      return found.map((o) => ({ url: o.url, etag: o.etag, data: String(o.data ?? '') }));
    },
  };
}

export type OpenCalendar = Awaited<ReturnType<typeof openCalendar>>;
