// Which page the Puppeteer steps act on, as ../pages.ts does for Playwright: a link with target=_blank or a
// window.open opens another page in the context; `switchPage` moves the later steps to it (`popup`), back to the first
// page (`first`), or to the open page whose URL contains some text. Each page the context opens gets the node's
// options (viewport, idempotency key…) before a step can use it.
import type { BrowserContext, Page, Target } from 'puppeteer-core';

const POLL_MS = 100;

interface Opened {
  /** The step that was running when the page opened. */
  step: number;
  /** Resolves once the node's options are applied to the page. */
  ready: Promise<Page | undefined>;
  page?: Page;
}

export class PuppeteerTabs {
  current: Page;
  private readonly opened: Opened[] = [];
  private step = 0;
  private readonly onTarget = (target: Target) => {
    if (target.type() !== 'page') return;
    const opened: Opened = { step: this.step, ready: Promise.resolve(undefined) };
    // A page that closes before it is ready is never chosen.
    opened.ready = this.adopt(target, opened).catch(() => undefined);
    this.opened.push(opened);
  };

  constructor(
    private readonly context: BrowserContext,
    private readonly first: Page,
    /** Applies the node's options to a page the context opened. */
    private readonly prepare: (page: Page) => Promise<void>,
  ) {
    this.current = first;
    context.on('targetcreated', this.onTarget);
  }

  stepStarts(index: number): void {
    this.step = index;
  }

  /** Every page of the execution, the first one first. */
  pages(): Page[] {
    const later = this.opened.flatMap((o) => (o.page && !o.page.isClosed() ? [o.page] : []));
    return [this.first, ...later];
  }

  stop(): void {
    this.context.off('targetcreated', this.onTarget);
  }

  async switchTo(target: string, timeout: number): Promise<void> {
    const deadline = Date.now() + timeout;
    const page =
      target === 'popup'
        ? await this.popup(deadline, timeout)
        : target === 'first'
          ? this.first
          : await this.withUrl(target, deadline);
    page.setDefaultTimeout(timeout);
    page.setDefaultNavigationTimeout(timeout);
    // The first page may not have gone anywhere yet; a new one is still on its initial about:blank until it commits.
    await loaded(page, page !== this.first, deadline, timeout);
    // A page in the background gets no animation frames, which Puppeteer's actions wait for.
    await page.bringToFront();
    this.current = page;
  }

  private async adopt(target: Target, opened: Opened): Promise<Page | undefined> {
    const page = await target.page();
    if (!page) return undefined;
    await this.prepare(page);
    opened.page = page;
    return page;
  }

  /** The page the previous step (or this one) opened; a popup opened by script may arrive a moment later. */
  private async popup(deadline: number, timeout: number): Promise<Page> {
    for (;;) {
      const latest = this.opened.at(-1);
      if (latest && latest.step >= this.step - 1) {
        const page = await latest.ready;
        if (page && !page.isClosed()) return page;
      }
      if (Date.now() >= deadline)
        throw new Error(`the previous step opened no page within ${timeout} ms (switchPage "popup")`);
      await sleep(POLL_MS);
    }
  }

  private async withUrl(part: string, deadline: number): Promise<Page> {
    for (;;) {
      await Promise.all(this.opened.map((o) => o.ready));
      const page = this.pages().find((p) => p.url().includes(part));
      if (page) return page;
      if (Date.now() >= deadline) {
        const urls = this.pages().map((p) => p.url());
        throw new Error(`no open page's URL contains "${part}" (open: ${urls.join(', ')})`);
      }
      await sleep(POLL_MS);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Playwright's waitForLoadState('load'): the page's document (past its initial about:blank) has loaded. */
async function loaded(page: Page, waitPastBlank: boolean, deadline: number, timeout: number): Promise<void> {
  for (;;) {
    const state =
      waitPastBlank && page.url() === 'about:blank'
        ? 'blank'
        : await page.evaluate(() => document.readyState).catch(() => 'navigating');
    if (state === 'complete') return;
    if (Date.now() >= deadline) throw new Error(`Timeout ${timeout}ms exceeded waiting for the page to load`);
    await sleep(POLL_MS);
  }
}
