// One Chromium per worker process, shared by every Browser node execution (each gets its own context): launching
// takes a second, a context milliseconds. A browser that crashed or disconnected is replaced on the next use.
import type { Browser } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from './chromium-launch';
import { launchWithDownloadDir } from './download-guard';

let current: Promise<Browser> | undefined;

async function launch(): Promise<Browser> {
  // Loaded on first use, so workers that never run a Browser node do not load Playwright.
  const { chromium } = await import('playwright-core');
  // Downloads go to a directory Baton knows, so the download cap can be enforced while they arrive (download-guard.ts).
  return launchWithDownloadDir((downloadsPath) =>
    chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true, downloadsPath }),
  );
}

function launchShared(): Promise<Browser> {
  const launching = launch();
  current = launching;
  const forget = () => {
    if (current === launching) current = undefined;
  };
  launching.then((browser) => browser.on('disconnected', forget), forget);
  return launching;
}

/** The worker's browser, launched (or relaunched after a crash) when needed; concurrent callers share a launch. */
export async function pooledBrowser(): Promise<Browser> {
  const pending = current ?? launchShared();
  const browser = await pending;
  if (browser.isConnected()) return browser;
  if (current === pending) current = undefined;
  return pooledBrowser();
}

/** Closes the pooled browser (worker shutdown); the next use launches a new one. */
export async function closeBrowserPool(): Promise<void> {
  const closing = current;
  current = undefined;
  const browser = closing && (await closing.catch(() => undefined));
  await browser?.close().catch(() => undefined);
}
