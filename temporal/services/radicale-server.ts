// The embedded calendar server: Radicale on loopback, with one htpasswd user and its storage in BATON_HOME. Its URL,
// with that user and password in it, is BATON_CALDAV_URL: Calendar event nodes without a credential write there,
// and tests read back what they wrote. The account starts with one calendar, "Baton".
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDAVClient } from 'tsdav';
import { startProcess, type ManagedProcess } from './child-process';
import type { ServicePaths, ServiceProfile } from './home';
import type { Log } from './installer';
import { choosePort } from './ports';
import { resolveRadicale } from './radicale-install';

export const RADICALE_USER = 'baton';
export const DEFAULT_CALENDAR = 'Baton';

export interface CalDavServer {
  process: ManagedProcess;
  /** `http://baton:<password>@127.0.0.1:<port>/`. */
  url: string;
  port: number;
  dataPath: string;
}

/** `<home>/radicale/` (dev, kept) or `<home>/test-radicale/` (wiped at every start). */
export const radicaleDir = (paths: ServicePaths) => path.join(paths.home, `${paths.logPrefix}radicale`);

/** The user's password: made once per data dir and kept in its htpasswd file (plain: loopback only, mode 0600). */
function password(usersFile: string): string {
  const existing = existsSync(usersFile) ? /^baton:(.+)$/m.exec(readFileSync(usersFile, 'utf8'))?.[1] : undefined;
  if (existing) return existing;
  const made = randomBytes(18).toString('base64url');
  writeFileSync(usersFile, `${RADICALE_USER}:${made}\n`, { mode: 0o600 });
  return made;
}

function config(dir: string, port: number): string {
  return [
    '[server]',
    `hosts = 127.0.0.1:${port}`,
    '[auth]',
    'type = htpasswd',
    `htpasswd_filename = ${path.join(dir, 'users')}`,
    'htpasswd_encryption = plain',
    '[rights]',
    'type = owner_only',
    '[storage]',
    `filesystem_folder = ${path.join(dir, 'collections')}`,
    '[web]',
    'type = none',
    '[logging]',
    'level = warning',
    '',
  ].join('\n');
}

export async function startCalDavServer(opts: {
  paths: ServicePaths;
  profile: ServiceProfile;
  log: Log;
  env: NodeJS.ProcessEnv;
  /** Another data dir than the profile's (a test file's own server). */
  dataDir?: string;
}): Promise<CalDavServer> {
  const { paths, profile } = opts;
  const radicale = await resolveRadicale({
    binDir: paths.binDir,
    logsDir: paths.logsDir,
    log: opts.log,
    env: opts.env,
  });
  const dir = opts.dataDir ?? radicaleDir(paths);
  if (profile === 'test' && !opts.dataDir) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = password(path.join(dir, 'users'));
  const port = await choosePort({
    explicit: opts.env.BATON_RADICALE_PORT,
    explicitName: 'BATON_RADICALE_PORT',
    preferred: profile === 'dev' ? 5232 : undefined,
  });
  const configFile = path.join(dir, 'config');
  writeFileSync(configFile, config(dir, port), { mode: 0o600 });
  const child = await startProcess({
    name: 'Radicale',
    command: radicale.command,
    args: [...radicale.args, '--config', configFile],
    logFile: path.join(paths.logsDir, `${paths.logPrefix}radicale.log`),
    watchdogLog: path.join(paths.logsDir, 'watchdog.log'),
  });
  const base = `http://127.0.0.1:${port}/`;
  try {
    await child.waitUntilReady(() => answers(base), { timeoutMs: 30_000, what: `answering on ${base}` });
    await ensureCalendar(base, secret);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { process: child, url: `http://${RADICALE_USER}:${secret}@127.0.0.1:${port}/`, port, dataPath: dir };
}

async function answers(base: string): Promise<boolean> {
  const response = await fetch(base, { method: 'OPTIONS', signal: AbortSignal.timeout(1000) });
  return response.status > 0;
}

/** A fresh account has no calendar; Calendar event nodes pick the first one, so make "Baton". */
async function ensureCalendar(base: string, secret: string): Promise<void> {
  const client = await createDAVClient({
    serverUrl: base,
    credentials: { username: RADICALE_USER, password: secret },
    authMethod: 'Basic',
    defaultAccountType: 'caldav',
  });
  if ((await client.fetchCalendars()).length > 0) return;
  const [made] = await client.makeCalendar({
    url: new URL(`/${RADICALE_USER}/baton/`, base).href,
    props: { displayname: DEFAULT_CALENDAR },
  });
  if (!made?.ok)
    throw new Error(`Radicale refused to create the "${DEFAULT_CALENDAR}" calendar (HTTP ${made?.status}).`);
}

/**
 * BATON_CALDAV_URL (used as-is) → Radicale, found or installed. Calendars are optional for development (nodes can
 * use a CalDAV credential), so a dev start goes on without it after a warning; tests read calendars and need it.
 */
export async function startCalendarService(opts: {
  paths: ServicePaths;
  profile: ServiceProfile;
  log: Log;
  env: NodeJS.ProcessEnv;
}): Promise<{ server?: CalDavServer; url?: string }> {
  if (opts.env.BATON_CALDAV_URL) {
    opts.log('Using the calendar server at BATON_CALDAV_URL.'); // it carries a password: never print it
    return { url: opts.env.BATON_CALDAV_URL };
  }
  const started = Date.now();
  try {
    const server = await startCalDavServer(opts);
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    opts.log(`Radicale ready: CalDAV http://127.0.0.1:${server.port}/ (data ${server.dataPath}) in ${seconds}s.`);
    return { server, url: server.url };
  } catch (error) {
    if (opts.profile === 'test') throw error;
    opts.log(
      `Warning: no calendar server, so Calendar event nodes need a CalDAV credential. ${(error as Error).message}`,
    );
    return {};
  }
}
