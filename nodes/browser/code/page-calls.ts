// What each `page.*`, `page.locator(…).*` and `context.*` call of a Browser code script does on the real Playwright
// page, in the worker. Arguments come from the script, so each is checked here before Playwright sees it; failures
// are plain Errors whose message the script receives (the bridge prefixes the method and the line).
import type { BrowserContext, Page } from 'playwright-core';
import type { RunFiles } from '../../define';
import { locate } from '../locators';
import type { PageIds } from './page-ids';

export const MAX_WAIT_MS = 30_000;
const WAIT_STATES = ['visible', 'hidden', 'attached', 'detached'] as const;
const MAX_TEXT_CHARS = 64 * 1024;

export interface PageCallScope {
  /** The page the call is on. */
  page: Page;
  context: BrowserContext;
  /** Each call's timeout: the node's step timeout. */
  timeout: number;
  files?: RunFiles;
  /** Screenshots taken so far, to name the next one. */
  shots: { count: number };
  /** The script's pages by id (page-ids.ts): popups become pages the script can drive. */
  pages: PageIds;
  /** The text page.fill and page.type send, with the login's tokens replaced (script-login.ts). */
  typed: (text: string) => string;
}

type Args = readonly unknown[];

function text(args: Args, i: number, what: string, { empty = false } = {}): string {
  const value = args[i];
  if (typeof value !== 'string')
    throw new Error(`${what} must be a string, not ${value === null ? 'null' : typeof value}`);
  if (!empty && value.trim() === '') throw new Error(`${what} is empty`);
  if (value.length > MAX_TEXT_CHARS) throw new Error(`${what} is over ${MAX_TEXT_CHARS} characters`);
  return value;
}

function options(args: Args, i: number, allowed: readonly string[]): Record<string, unknown> {
  const value = args[i] ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('the options must be an object');
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new Error(`unknown option "${unknown[0]}"; allowed: ${allowed.join(', ') || 'none'}`);
  return value as Record<string, unknown>;
}

const element = (s: PageCallScope, args: Args) => locate(s.page, text(args, 0, 'the locator').trim());

async function goto(s: PageCallScope, args: Args) {
  const target = text(args, 0, 'the URL').trim();
  const url = URL.canParse(target) ? new URL(target) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new Error(`"${target}" is not an absolute http(s) URL`);
  const response = await s.page.goto(url.href, { timeout: s.timeout, waitUntil: 'load' });
  return { url: s.page.url(), status: response?.status() ?? null };
}

function waitFor(s: PageCallScope, args: Args) {
  const state = options(args, 1, ['state']).state ?? 'visible';
  if (!WAIT_STATES.includes(state as (typeof WAIT_STATES)[number]))
    throw new Error(`the state must be one of ${WAIT_STATES.join(', ')}`);
  return element(s, args).waitFor({ state: state as (typeof WAIT_STATES)[number], timeout: s.timeout });
}

function waitForTimeout(s: PageCallScope, args: Args) {
  const ms = args[0];
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_WAIT_MS)
    throw new Error(`the wait must be a number of milliseconds from 0 to ${MAX_WAIT_MS}`);
  return s.page.waitForTimeout(ms);
}

function selectOption(s: PageCallScope, args: Args) {
  const value = args[1];
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0 || values.some((v) => typeof v !== 'string'))
    throw new Error('the option must be a string (its value or label) or an array of strings');
  return element(s, args).selectOption(values as string[], { timeout: s.timeout });
}

async function screenshot(s: PageCallScope, args: Args) {
  const { name, fullPage } = options(args, 0, ['name', 'fullPage']);
  if (name !== undefined && (typeof name !== 'string' || !/^[\w .-]{1,100}$/.test(name)))
    throw new Error('the name must be 1 to 100 letters, digits, spaces, dots, dashes or underscores');
  if (!s.files) throw new Error('screenshots cannot be stored here (no file store)');
  const data = await s.page.screenshot({ timeout: s.timeout, fullPage: fullPage === true });
  s.shots.count += 1;
  const file = name ? (name.endsWith('.png') ? name : `${name}.png`) : `screenshot-${s.shots.count}.png`;
  return s.files.save({ name: file, mimeType: 'image/png', data });
}

const LOAD_STATES = ['load', 'domcontentloaded', 'networkidle'] as const;

function waitForLoadState(s: PageCallScope, args: Args) {
  const state = args[0] ?? 'load';
  if (!LOAD_STATES.includes(state as (typeof LOAD_STATES)[number]))
    throw new Error(`the state must be one of ${LOAD_STATES.join(', ')}`);
  return s.page.waitForLoadState(state as (typeof LOAD_STATES)[number], { timeout: s.timeout });
}

/** context.waitForEvent('page') and page.waitForEvent('popup'), Playwright's shapes: the next page that opens. */
async function waitForPage(s: PageCallScope, args: Args, event: 'page' | 'popup') {
  if (args[0] !== event)
    throw new Error(`only the "${event}" event can be awaited here, not ${JSON.stringify(args[0] ?? null)}`);
  const opened =
    event === 'page'
      ? s.context.waitForEvent('page', { timeout: s.timeout })
      : s.page.waitForEvent('popup', { timeout: s.timeout });
  const page = await opened;
  page.setDefaultTimeout(s.timeout);
  page.setDefaultNavigationTimeout(s.timeout);
  return s.pages.idOf(page);
}

const CALLS: Record<string, (s: PageCallScope, args: Args) => Promise<unknown>> = {
  'page.goto': goto,
  'page.url': async (s) => s.page.url(),
  'page.title': (s) => s.page.title(),
  'page.click': (s, a) => element(s, a).click({ timeout: s.timeout }),
  'page.fill': (s, a) => element(s, a).fill(s.typed(text(a, 1, 'the text', { empty: true })), { timeout: s.timeout }),
  'page.type': (s, a) =>
    element(s, a).pressSequentially(s.typed(text(a, 1, 'the text', { empty: true })), { timeout: s.timeout }),
  'page.press': (s, a) => element(s, a).press(text(a, 1, 'the key'), { timeout: s.timeout }),
  'page.selectOption': selectOption,
  'page.check': (s, a) => element(s, a).check({ timeout: s.timeout }),
  'page.uncheck': (s, a) => element(s, a).uncheck({ timeout: s.timeout }),
  'page.hover': (s, a) => element(s, a).hover({ timeout: s.timeout }),
  'page.waitFor': waitFor,
  'page.waitForURL': (s, a) => s.page.waitForURL(text(a, 0, 'the URL pattern'), { timeout: s.timeout }),
  'page.waitForTimeout': waitForTimeout,
  'page.textContent': (s, a) => element(s, a).textContent({ timeout: s.timeout }),
  'page.innerText': (s, a) => element(s, a).innerText({ timeout: s.timeout }),
  'page.getAttribute': (s, a) => element(s, a).getAttribute(text(a, 1, 'the attribute name'), { timeout: s.timeout }),
  // A string only: it runs in the page, never in the worker; a function would have to be serialized anyway.
  'page.evaluate': (s, a) => s.page.evaluate(text(a, 0, 'the expression')),
  'page.screenshot': screenshot,
  'locator.count': (s, a) => element(s, a).count(),
  'locator.allInnerTexts': (s, a) => element(s, a).allInnerTexts(),
  'locator.allTextContents': (s, a) => element(s, a).allTextContents(),
  'page.waitForLoadState': waitForLoadState,
  'page.waitForEvent': (s, a) => waitForPage(s, a, 'popup'),
  'page.close': (s) => s.page.close(),
  'context.pages': async (s) => s.context.pages().map((p) => s.pages.idOf(p)),
  'context.waitForEvent': (s, a) => waitForPage(s, a, 'page'),
};

/** Performs one call on the page `pageId`; rejects with a plain Error for an unknown method or bad arguments. */
export async function performCall(
  scope: Omit<PageCallScope, 'page'>,
  method: string,
  args: unknown,
  pageId: number,
): Promise<unknown> {
  const call = Object.hasOwn(CALLS, method) ? CALLS[method] : undefined;
  if (!call) throw new Error('is not available in Browser code');
  const page = scope.pages.page(pageId);
  // Like Playwright, a closed page still tells its URL and closes again quietly; anything else is an error.
  if (!['page.close', 'page.url'].includes(method) && page.isClosed()) throw new Error('its page was closed');
  return call({ ...scope, page }, Array.isArray(args) ? args : []);
}
