// Which page the steps act on. A link with target=_blank or a window.open opens another page in the context;
// `switchPage` moves the later steps to it (`popup`), back to the first page (`first`), or to the open page whose URL
// contains some text.
import type { BrowserContext, Page } from 'playwright-core';

const POLL_MS = 100;

export class PageTabs {
  current: Page;
  /** Pages opened so far, with the step that was running when each opened. */
  private readonly opened: Array<{ page: Page; step: number }> = [];
  private step = 0;

  constructor(
    private readonly context: BrowserContext,
    first: Page,
  ) {
    this.current = first;
    context.on('page', (page) => this.opened.push({ page, step: this.step }));
  }

  stepStarts(index: number): void {
    this.step = index;
  }

  async switchTo(target: string, timeout: number): Promise<void> {
    const page =
      target === 'popup'
        ? await this.popup(timeout)
        : target === 'first'
          ? this.context.pages()[0]
          : await this.withUrl(target, timeout);
    page.setDefaultTimeout(timeout);
    page.setDefaultNavigationTimeout(timeout);
    await page.waitForLoadState('load', { timeout });
    this.current = page;
  }

  /** The page the previous step (or this one) opened; a popup opened by script may arrive a moment later. */
  private async popup(timeout: number): Promise<Page> {
    const latest = this.opened.at(-1);
    if (latest && latest.step >= this.step - 1 && !latest.page.isClosed()) return latest.page;
    try {
      return await this.context.waitForEvent('page', { timeout });
    } catch {
      throw new Error(`the previous step opened no page within ${timeout} ms (switchPage "popup")`);
    }
  }

  private async withUrl(part: string, timeout: number): Promise<Page> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const page = this.context.pages().find((p) => p.url().includes(part));
      if (page) return page;
      if (Date.now() >= deadline) {
        const urls = this.context.pages().map((p) => p.url());
        throw new Error(`no open page's URL contains "${part}" (open: ${urls.join(', ')})`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
