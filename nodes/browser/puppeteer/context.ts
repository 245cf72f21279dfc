// A fresh Puppeteer browser context per Browser node execution, set up like the Playwright one (../run.ts): every
// request through the execution's guard proxy, loopback included; viewport, user agent, locale and time zone on
// each of its pages; downloads denied until a download step allows one, no service workers; images and fonts
// aborted when asked.
import type { BrowserContext, Page } from 'puppeteer-core';
import type { NodeRunner, RunContext } from '../../define';
import { NodeError } from '../../errors';
import type { GuardProxy } from '../guard-proxy';
import type { spec } from '../spec';
import { pooledPuppeteer } from './pool';

type Params = Parameters<NodeRunner<typeof spec.params>>[1];

/** The first line of an error, without a "Protocol error (Target.x): " style prefix. */
export function reasonOf(err: unknown): string {
  const first = ((err as Error)?.message ?? String(err)).split('\n')[0];
  return first.replace(/^Protocol error \([\w.]+\): /, '');
}

export async function openContext(proxy: GuardProxy): Promise<BrowserContext> {
  let browser;
  try {
    browser = await pooledPuppeteer();
  } catch (err) {
    throw new NodeError(`Browser: Chromium could not start (${reasonOf(err)}); check BATON_CHROMIUM on the worker`, {
      code: 'browser-launch',
    });
  }
  return browser.createBrowserContext({
    proxyServer: proxy.server,
    // Chromium sends loopback past any proxy unless told otherwise; the guard must see those requests too.
    proxyBypassList: ['<-loopback>'],
    downloadBehavior: { policy: 'deny' },
  });
}

async function applyLocale(page: Page, locale: string): Promise<void> {
  const session = await page.createCDPSession();
  try {
    await session.send('Emulation.setLocaleOverride', { locale });
  } catch (err) {
    throw new NodeError(`Browser: Locale "${locale}" is not valid (${reasonOf(err)})`, {
      code: 'browser-options',
      retryable: false,
    });
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/**
 * Applies the node's options to `page`: its first page, and each page it opens later (a popup). Playwright applies
 * them to the whole context; Puppeteer sets them page by page, so a popup's very first request goes out before they
 * hold (decision 058).
 */
export async function preparePage(ctx: RunContext, params: Params, page: Page): Promise<void> {
  await page.setViewport({ width: params.viewportWidth ?? 1280, height: params.viewportHeight ?? 800 });
  if (params.userAgent) await page.setUserAgent({ userAgent: params.userAgent });
  if (params.locale) await applyLocale(page, params.locale);
  if (params.timezone) {
    await page.emulateTimezone(params.timezone).catch((err: unknown) => {
      throw new NodeError(`Browser: Time zone "${params.timezone}" is not valid (${reasonOf(err)})`, {
        code: 'browser-options',
        retryable: false,
      });
    });
  }
  if (params.locale) await page.setExtraHTTPHeaders({ 'Accept-Language': params.locale });
  await page.setBypassServiceWorker(true);
  // Every request carries the step's idempotency key, stable across retries, so a site that honours it applies a
  // form submitted twice only once. Added by interception, as on Playwright: with setExtraHTTPHeaders Chromium
  // preflights cross-origin requests for the header, and a site whose CORS does not allow it breaks.
  const key = ctx.idempotencyKey;
  const block = params.blockImagesAndFonts === true;
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    if (block && ['image', 'font'].includes(request.resourceType())) void request.abort().catch(() => undefined);
    else void request.continue({ headers: { ...request.headers(), 'idempotency-key': key } }).catch(() => undefined);
  });
}
