// Reading a real calendar server in tests: Radicale at BATON_CALDAV_URL. `npm test` starts it with the other
// services; a jest run handed TEMPORAL_ADDRESS and MONGODB_URI gets one of its own from `ensureRadicale()` (in a
// temporary directory, stopped by the returned `stop`). Each test file makes calendars of its own to write to.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDAVClient, type DAVCalendar } from 'tsdav';
import { resolveHome, servicePaths } from '../temporal/services';
import { startCalDavServer } from '../temporal/services/radicale-server';

export interface Radicale {
  /** With the user name and password in it. */
  url: string;
  stop(): Promise<void>;
}

/** The Radicale this test run writes to, started here when the environment names none; sets BATON_CALDAV_URL. */
export async function ensureRadicale(): Promise<Radicale> {
  if (process.env.BATON_CALDAV_URL) return { url: process.env.BATON_CALDAV_URL, stop: async () => undefined };
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-radicale-'));
  const shared = servicePaths(resolveHome(), 'test');
  const paths = { ...servicePaths(dir, 'test'), binDir: shared.binDir, logsDir: dir };
  const log = (line: string) => process.stderr.write(`[baton] ${line}\n`);
  const server = await startCalDavServer({ paths, profile: 'test', log, env: process.env, dataDir: dir });
  process.env.BATON_CALDAV_URL = server.url;
  return {
    url: server.url,
    async stop() {
      await server.process.stop();
      delete process.env.BATON_CALDAV_URL;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The server URL without its user name and password, and those two, as a `caldav` credential holds them. */
export function caldavAccount(url = process.env.BATON_CALDAV_URL!) {
  const parsed = new URL(url);
  const account = { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
  parsed.username = '';
  parsed.password = '';
  return { serverUrl: parsed.toString(), ...account };
}

export async function caldavClient() {
  const { serverUrl, username, password } = caldavAccount();
  return createDAVClient({
    serverUrl,
    credentials: { username, password },
    authMethod: 'Basic',
    defaultAccountType: 'caldav',
  });
}

/** A new calendar of the test user, named `<prefix>-<random>`, so a test file sees only what it wrote. */
export async function makeCalendar(prefix: string): Promise<DAVCalendar & { displayName: string }> {
  const client = await caldavClient();
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  const { serverUrl, username } = caldavAccount();
  const [made] = await client.makeCalendar({
    url: new URL(`/${username}/${name}/`, serverUrl).href,
    props: { displayname: name },
  });
  if (!made?.ok) throw new Error(`Radicale did not create calendar ${name} (HTTP ${made?.status})`);
  const calendar = (await client.fetchCalendars()).find((c) => c.displayName === name);
  if (!calendar) throw new Error(`Calendar ${name} was created but is not listed`);
  return calendar as DAVCalendar & { displayName: string };
}

/** Every calendar object resource in `calendar`, read back with a plain REPORT: url and iCalendar text. */
export async function eventsIn(calendar: DAVCalendar): Promise<Array<{ url: string; data: string }>> {
  const client = await caldavClient();
  const objects = await client.fetchCalendarObjects({ calendar, urlFilter: Boolean });
  return objects.map((o) => ({ url: o.url, data: String(o.data) }));
}
