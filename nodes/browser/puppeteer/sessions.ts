// Saved sessions on the Puppeteer engine (docs/decisions/060, 058): the same state shape as Playwright's
// `storageState()` (BrowserStorageState), so a session saved by one engine starts the other. Loading and saving
// (when, under which name, the vault) stay in ../sessions.ts; this file only moves the state in and out of a
// Puppeteer context. IndexedDB is Playwright's to read and restore: what a loaded session holds of it is carried
// over unchanged when this engine saves.
import type { BrowserContext, Cookie, CookieData, Page } from 'puppeteer-core';
import type { BrowserStorageState } from '../../define';
import type { StateSource } from '../sessions';

type Origin = BrowserStorageState['origins'][number];

const BLANK = '<!doctype html><title></title>';

/** Puts the saved cookies and each origin's local storage into a fresh context, before its first page opens. */
export async function restoreState(context: BrowserContext, state: BrowserStorageState): Promise<void> {
  if (state.cookies.length > 0) await context.setCookie(...state.cookies.map(toPuppeteerCookie));
  const origins = state.origins.filter((o) => o.localStorage.length > 0);
  if (origins.length === 0) return;
  // Local storage belongs to an origin: a throwaway page visits each one, answered in the browser with an empty
  // document (nothing reaches the network), and writes the items there.
  const page = await context.newPage();
  try {
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      void request.respond({ status: 200, contentType: 'text/html', body: BLANK }).catch(() => undefined);
    });
    for (const { origin, localStorage } of origins) {
      await page.goto(`${origin}/`, { waitUntil: 'load' });
      await page.evaluate((items) => {
        for (const { name, value } of items) window.localStorage.setItem(name, value);
      }, localStorage);
    }
  } finally {
    await page.close().catch(() => undefined);
  }
}

/** The context's state as ../sessions.ts saves it: cookies, and local storage of the origins open in `pages`. */
export function stateSource(
  context: BrowserContext,
  pages: () => Page[],
  loaded: BrowserStorageState | undefined,
): StateSource {
  return {
    storageState: async (): Promise<BrowserStorageState> => {
      const cookies = (await context.cookies()).map(fromPuppeteerCookie);
      const open = await openOrigins(pages());
      // An origin the session held that no page has open now keeps what it had (this engine cannot read it without
      // visiting it); one that is open is read fresh.
      const kept = (loaded?.origins ?? []).filter((o) => !open.some((fresh) => fresh.origin === o.origin));
      const withIndexedDb = open.map((fresh) => {
        const before = loaded?.origins.find((o) => o.origin === fresh.origin);
        return before?.indexedDB ? { ...fresh, indexedDB: before.indexedDB } : fresh;
      });
      // As Playwright's state, an origin with nothing stored is left out.
      const origins = [...withIndexedDb, ...kept].filter((o) => o.localStorage.length > 0 || o.indexedDB?.length);
      return { cookies, origins };
    },
  };
}

/** The local storage of every http(s) origin shown in a frame of `pages`, each origin once. */
async function openOrigins(pages: Page[]): Promise<Origin[]> {
  const origins = new Map<string, Origin>();
  for (const page of pages) {
    if (page.isClosed()) continue;
    for (const frame of page.frames()) {
      const origin = originOf(frame.url());
      if (!origin || origins.has(origin)) continue;
      const items = await frame
        .evaluate(() => Object.entries(window.localStorage).map(([name, value]) => ({ name, value })))
        .catch(() => undefined);
      // A frame mid-navigation has no storage to read now; another frame of that origin may.
      if (items) origins.set(origin, { origin, localStorage: items });
    }
  }
  return [...origins.values()];
}

function originOf(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
}

function toPuppeteerCookie(cookie: BrowserStorageState['cookies'][number]): CookieData {
  const { expires, ...rest } = cookie;
  // -1 is a session cookie in the saved shape; Puppeteer leaves `expires` out for one.
  return expires > 0 ? { ...rest, expires } : rest;
}

/** Puppeteer's cookie in Playwright's shape: a cookie set without SameSite is Lax, as Chromium treats it. */
function fromPuppeteerCookie(cookie: Cookie): BrowserStorageState['cookies'][number] {
  return {
    name: cookie.name,
    value: cookie.value,
    domain: cookie.domain,
    path: cookie.path,
    expires: cookie.session ? -1 : cookie.expires,
    httpOnly: cookie.httpOnly ?? false,
    secure: cookie.secure,
    sameSite: cookie.sameSite === 'Strict' || cookie.sameSite === 'None' ? cookie.sameSite : 'Lax',
  };
}
