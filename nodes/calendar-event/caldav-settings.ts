// Which CalDAV server a step talks to: the `caldav` credential it picked, else the instance's BATON_CALDAV_URL
// (Radicale in development and tests), else none. Settings from a credential were typed by workspace members, so
// their connections pass the HTTP node's destination guard; the instance's own server is trusted.
import { ALLOW_HOSTS_ENV, normalHost, parseAllowList, type AllowList } from '../http-request/address-policy';

export const CALDAV_URL_ENV = 'BATON_CALDAV_URL';

export interface CalDavSettings {
  /** Without user name or password: fetch refuses URLs that carry them, and messages quote this one. */
  serverUrl: string;
  username: string;
  password: string;
  /** Where these settings came from, for messages: `the CalDAV credential` or `BATON_CALDAV_URL`. */
  source: string;
  /** Whether connections must pass the destination guard (BATON_HTTP_ALLOW_HOSTS). */
  guarded: boolean;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** HTTP Basic auth (tsdav's) carries Latin-1 only; anything else would fail on every request. */
function basicAuthable(settings: CalDavSettings): CalDavSettings {
  // eslint-disable-next-line no-control-regex
  if (/[^\u0000-\u00ff]/.test(settings.username + settings.password)) {
    throw new Error(`${settings.source}'s user name or password has characters HTTP Basic auth cannot send`);
  }
  return settings;
}

export function caldavFromCredential(values: Record<string, unknown>): CalDavSettings {
  const serverUrl = text(values.serverUrl);
  if (!URL.canParse(serverUrl) || !/^https?:$/.test(new URL(serverUrl).protocol)) {
    throw new Error('the CalDAV credential has no http(s) server URL; edit it on the credentials page');
  }
  return basicAuthable({
    serverUrl,
    username: text(values.username),
    password: text(values.password),
    source: 'the CalDAV credential',
    guarded: true,
  });
}

/** `http(s)://user:password@host:port/`: the server's root (or its CalDAV base path). */
export function caldavFromUrl(url: string, name = CALDAV_URL_ENV): CalDavSettings {
  if (!URL.canParse(url)) throw new Error(`${name} is not a URL; use http://user:password@host:port/`);
  const parsed = new URL(url);
  if (!/^https?:$/.test(parsed.protocol)) throw new Error(`${name} must be an http:// or https:// URL`);
  const username = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return basicAuthable({ serverUrl: parsed.toString(), username, password, source: name, guarded: false });
}

/** The credential's settings → BATON_CALDAV_URL → undefined (no calendar server: nothing can be written). */
export function resolveCalDav(
  credential: Record<string, unknown> | undefined,
  env: NodeJS.ProcessEnv = process.env,
): CalDavSettings | undefined {
  if (credential) return caldavFromCredential(credential);
  if (env[CALDAV_URL_ENV]) return caldavFromUrl(env[CALDAV_URL_ENV]);
  return undefined;
}

/** Which internal hosts the connection may reach: the administrator's allow list, and the instance's own server. */
export function allowListFor(settings: CalDavSettings, env: NodeJS.ProcessEnv = process.env): AllowList {
  const allow = parseAllowList(env[ALLOW_HOSTS_ENV]);
  if (!settings.guarded) allow.names.add(normalHost(new URL(settings.serverUrl).hostname));
  return allow;
}
