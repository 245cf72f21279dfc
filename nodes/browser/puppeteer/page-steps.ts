// The page-level steps with Puppeteer (URL waits and assertions, network idle, evaluate, PDF, an element's picture),
// meaning what the Playwright engine's do (../steps.ts, ../transfer.ts). Their helpers there are private to that
// engine, so the few lines are repeated here.
import type { ElementHandle, Page } from 'puppeteer-core';
import type { FileRef } from '../../../contracts/file-ref';
import type { RunFiles } from '../../define';

/** The longest result an evaluate step may return, serialized. */
const MAX_EVALUATE_CHARS = 1024 * 1024;
/** Playwright's network idle: no request for this long. */
const NETWORK_IDLE_MS = 500;

/** A glob when the pattern has `*` (`**` spans slashes, `*` does not), matched on the whole URL; else a substring. */
export function urlMatches(pattern: string, href: string): boolean {
  if (!pattern.includes('*')) return href.includes(pattern);
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(href);
}

/** Resolves once the page's URL matches; fails after `timeout` naming the URL it has. */
export async function waitForUrl(page: Page, pattern: string, timeout: number, failure: string): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!urlMatches(pattern, page.url())) {
    if (Date.now() >= deadline) throw new Error(failure.replace('{url}', page.url()));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function waitForNetworkIdle(page: Page, timeout: number): Promise<void> {
  return page.waitForNetworkIdle({ idleTime: NETWORK_IDLE_MS, timeout });
}

/**
 * Evaluates `source` in the page (its own JavaScript sandbox, never Node's): an expression such as
 * `document.title`, or a function body with `return`. The result crosses back as JSON text.
 */
export async function evaluate(page: Page, source: string): Promise<unknown> {
  const asExpression = `(async () => (\n${source}\n))()`;
  const asBody = `(async () => {\n${source}\n})()`;
  const wrap = (code: string) =>
    `(async () => { const value = await ${code}; return value === undefined ? undefined : JSON.stringify(value); })()`;
  let json: unknown;
  try {
    json = await page.evaluate(wrap(asExpression));
  } catch (err) {
    // Puppeteer names the page's exception in `name` (Playwright puts it in the message).
    if ((err as Error)?.name !== 'SyntaxError') throw err;
    json = await page.evaluate(wrap(asBody));
  }
  if (typeof json !== 'string') throw new Error('the script returned nothing; end it with a value, or return one');
  if (json.length > MAX_EVALUATE_CHARS) throw new Error(`the script's result is over ${MAX_EVALUATE_CHARS} characters`);
  return JSON.parse(json);
}

export async function pdf(files: RunFiles | undefined, page: Page, name: string): Promise<FileRef> {
  if (!files) throw new Error('PDFs cannot be stored here (no file store)');
  const data = Buffer.from(await page.pdf({ printBackground: true }));
  return files.save({ name, mimeType: 'application/pdf', data });
}

/**
 * A picture of the element, cut as Playwright cuts it: the smallest whole-pixel rectangle around its box, in the
 * page's coordinates (an element in an iframe included). Puppeteer's own element screenshot rounds each edge to the
 * nearest pixel, a pixel short of Playwright's picture whenever the box has fractions.
 */
export async function elementScreenshot(page: Page, element: ElementHandle<Element>): Promise<Buffer> {
  // Chromium's own "if needed" scroll, as Playwright scrolls before a picture (Puppeteer's public one always centres).
  await element.evaluate((el) =>
    (el as Element & { scrollIntoViewIfNeeded(center?: boolean): void }).scrollIntoViewIfNeeded(true),
  );
  const box = await element.boundingBox();
  if (!box || box.width === 0 || box.height === 0) throw new Error('the element is not visible, so it has no picture');
  const [left, top] = await page.evaluate(() => [window.visualViewport!.pageLeft, window.visualViewport!.pageTop]);
  const x = Math.floor(box.x + left + 1e-3);
  const y = Math.floor(box.y + top + 1e-3);
  const width = Math.ceil(box.x + left + box.width - 1e-3) - x;
  const height = Math.ceil(box.y + top + box.height - 1e-3) - y;
  return Buffer.from(await page.screenshot({ clip: { x, y, width, height } }));
}
