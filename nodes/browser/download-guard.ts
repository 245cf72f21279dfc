// Enforces the Browser node's download cap while the file arrives (Playwright engine; decision 055). Playwright hands
// a download's bytes over only once Chromium has written the whole file to the worker's disk, so the cap is watched in
// Chromium itself: a browser-level CDP session of Baton's own turns on the context's download events (CDP
// Browser.setDownloadBehavior with the very behaviour and directory Playwright set, so Playwright's own download
// handling is unchanged) and sends Browser.cancelDownload once a download's receivedBytes pass the cap. Chromium then
// deletes what it wrote and Playwright reports the download "canceled".
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';

const downloadDirs = new WeakMap<Browser, string>();

/**
 * Launches a browser whose accepted downloads go to a directory Baton knows (Playwright's default one is private),
 * removed when the browser goes away.
 */
export async function launchWithDownloadDir(launch: (downloadsPath: string) => Promise<Browser>): Promise<Browser> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-downloads-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const browser = await launch(dir).catch(async (err: unknown) => {
    await remove();
    throw err;
  });
  downloadDirs.set(browser, dir);
  browser.on('disconnected', () => void remove().catch(() => undefined));
  return browser;
}

/** Where `browser` writes accepted downloads (while they arrive, and until their context closes). */
export function downloadDirOf(browser: Browser): string {
  const dir = downloadDirs.get(browser);
  if (!dir) throw new Error('the browser was not launched by the worker pool (its download directory is unknown)');
  return dir;
}

/** The download cap of one browser context (one execution), enforced from its first step to the context's close. */
export class DownloadGuard {
  /** What happened to the downloads that went over the cap, by URL: true once cancelled in this context. */
  private readonly cancelling = new Map<string, Promise<boolean>>();
  /** The URL of each download that began in the browser (any context: Chromium reports them all). */
  private readonly urls = new Map<string, string>();
  /** Downloads already handled: cancelled, or found to belong to another context (another execution). */
  private readonly settled = new Set<string>();

  constructor(
    private readonly session: CDPSession,
    private readonly contextId: string,
    private readonly maxBytes: number,
  ) {
    session.on('Browser.downloadWillBegin', (event) => this.urls.set(event.guid, event.url));
    session.on('Browser.downloadProgress', (event) => {
      if (event.state !== 'inProgress') return this.forget(event.guid);
      if (event.receivedBytes > this.maxBytes && !this.settled.has(event.guid)) this.cancel(event.guid);
    });
  }

  /**
   * Whether a download of `url` was cancelled in this context for passing the cap. Asked after Playwright reported
   * it canceled, which can be before Chromium answered the cancel command, so the answer is awaited.
   */
  async cancelledOverCap(url: string): Promise<boolean> {
    return (await this.cancelling.get(url)) ?? false;
  }

  /**
   * Cancels the download `guid`. The command names this context, and Chromium looks the download up in that context
   * only: another execution's download on the shared browser is refused ("No download item found"), never touched.
   */
  private cancel(guid: string): void {
    this.settled.add(guid);
    const url = this.urls.get(guid) ?? '';
    const cancelled = this.session
      .send('Browser.cancelDownload', { guid, browserContextId: this.contextId })
      .then(() => true)
      .catch(() => false);
    // A download of the same URL cancelled earlier in the context stays the answer for that URL.
    const before = this.cancelling.get(url) ?? Promise.resolve(false);
    this.cancelling.set(
      url,
      Promise.all([before, cancelled]).then(([earlier, now]) => earlier || now),
    );
  }

  private forget(guid: string): void {
    this.urls.delete(guid);
    this.settled.delete(guid);
  }
}

const guards = new WeakMap<BrowserContext, Promise<DownloadGuard>>();

/** The Chromium id of `page`'s browser context, which Playwright does not expose. */
async function contextIdOf(page: Page): Promise<string> {
  const session = await page.context().newCDPSession(page);
  try {
    return (await session.send('Target.getTargetInfo')).targetInfo.browserContextId ?? '';
  } finally {
    await session.detach().catch(() => undefined);
  }
}

async function startGuard(page: Page, maxBytes: number): Promise<DownloadGuard> {
  const context = page.context();
  const browser = context.browser();
  if (!browser) throw new Error('the page has no browser to download with');
  const downloadPath = downloadDirOf(browser);
  const browserContextId = await contextIdOf(page);
  if (!browserContextId) throw new Error('the browser did not say which context the page is in');
  const session = await browser.newBrowserCDPSession();
  // Detaching would reset the context's downloads to Chromium's default (its handler undoes what it set), so the
  // session lives as long as the context; once the context is gone there is nothing left to reset.
  context.once('close', () => void session.detach().catch(() => undefined));
  const guard = new DownloadGuard(session, browserContextId, maxBytes);
  await session.send('Browser.setDownloadBehavior', {
    behavior: 'allowAndName',
    browserContextId,
    downloadPath,
    eventsEnabled: true,
  });
  return guard;
}

/**
 * The download guard of `page`'s context, started on first use; the cap is the node's and fixed for the context. Only
 * for contexts that accept downloads: the guard sets the behaviour Playwright sets for those.
 */
export function guardDownloads(page: Page, maxBytes: number): Promise<DownloadGuard> {
  const context = page.context();
  let guard = guards.get(context);
  if (!guard) {
    guard = startGuard(page, maxBytes);
    guards.set(context, guard);
    // A guard that could not start is retried by the next step rather than remembered.
    guard.catch(() => guards.delete(context));
  }
  return guard;
}
