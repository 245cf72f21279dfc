// One Puppeteer-driven Chromium per worker process, for Browser nodes whose engine is Puppeteer; the same shape as
// the Playwright pool (../pool.ts): launched on first use, relaunched after a crash, each execution in its own context.
import type { Browser } from 'puppeteer-core';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium-launch';
import { registerLocatorEngines } from './query-handlers';

let current: Promise<Browser> | undefined;

async function launch(): Promise<Browser> {
  // Loaded on first use, so workers that never run a Puppeteer step do not load it.
  const puppeteer = await import('puppeteer-core');
  registerLocatorEngines(puppeteer.Puppeteer);
  return puppeteer.launch({
    executablePath: chromiumPath(),
    // Element.computedRole / computedName: Chromium's own accessible role and name, for role= locators (query-handlers.ts).
    args: [...CHROMIUM_ARGS, '--enable-blink-features=ComputedAccessibilityInfo'],
    headless: true,
    // Over a pipe, as Playwright does: Chromium quits when the pipe closes, so a SIGKILLed worker leaves none behind
    // (over the default debugging port it would live on, orphaned).
    pipe: true,
    // The worker decides when to stop; Puppeteer's own handlers would end the process on SIGINT.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

function launchShared(): Promise<Browser> {
  const launching = launch();
  current = launching;
  const forget = () => {
    if (current === launching) current = undefined;
  };
  launching.then((browser) => browser.once('disconnected', forget), forget);
  return launching;
}

/** The worker's Puppeteer browser, launched (or relaunched after a crash) when needed; concurrent callers share a launch. */
export async function pooledPuppeteer(): Promise<Browser> {
  const pending = current ?? launchShared();
  const browser = await pending;
  if (browser.connected) return browser;
  if (current === pending) current = undefined;
  return pooledPuppeteer();
}

/** Closes the pooled browser (worker shutdown); the next use launches a new one. */
export async function closePuppeteerPool(): Promise<void> {
  const closing = current;
  current = undefined;
  const browser = closing && (await closing.catch(() => undefined));
  await browser?.close().catch(() => undefined);
}
