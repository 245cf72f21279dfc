// What each action does on the page. Plain Errors here; run.ts names the step in the message the run shows.
import type { Page } from 'playwright-core';
import type { RunFiles } from '../define';
import { extractMany, extractTable, fieldMap } from './extract';
import { locate } from './locators';
import type { PageTabs } from './pages';
import type { BrowserStep } from './spec';
import { httpUrl, required, textOf } from './step-helpers';
import { download, pdf, upload } from './transfer';

/** What a step acts on besides its page: the open pages, the run's files and the step's number. */
export interface StepScope {
  tabs: PageTabs;
  files?: RunFiles;
  index: number;
  maxDownloadBytes: number;
}

/** The longest result an evaluate step may return, serialized. */
const MAX_EVALUATE_CHARS = 1024 * 1024;

const WAIT_STATES = ['visible', 'hidden', 'attached', 'detached'] as const;

async function gotoUrl(page: Page, target: string, timeout: number): Promise<void> {
  await page.goto(httpUrl(target), { timeout, waitUntil: 'load' });
}

/** Waits until the element's text contains `expected`, up to `timeout`. */
async function assertText(page: Page, target: string, expected: string, timeout: number): Promise<void> {
  const element = locate(page, target);
  await element.waitFor({ state: 'visible', timeout });
  const deadline = Date.now() + timeout;
  for (;;) {
    const actual = (await element.innerText({ timeout })).replace(/\s+/g, ' ').trim();
    if (actual.includes(expected)) return;
    if (Date.now() >= deadline) throw new Error(`expected text "${expected}", found "${actual.slice(0, 200)}"`);
    await page.waitForTimeout(100);
  }
}

/** A URL matcher: a glob when the text has `*` (Playwright's: `**` spans slashes), else a substring. */
function urlMatcher(pattern: string): string | ((url: URL) => boolean) {
  return pattern.includes('*') ? pattern : (url: URL) => url.href.includes(pattern);
}

async function assertUrl(page: Page, pattern: string, timeout: number): Promise<void> {
  try {
    await page.waitForURL(urlMatcher(pattern), { timeout, waitUntil: 'commit' });
  } catch {
    throw new Error(`expected the URL to match "${pattern}", it is ${page.url()}`);
  }
}

/**
 * Evaluates `source` in the page (its own JavaScript sandbox, never Node's): an expression such as
 * `document.title`, or a function body with `return`. The result crosses back as JSON text.
 */
async function evaluate(page: Page, source: string): Promise<unknown> {
  const asExpression = `(async () => (\n${source}\n))()`;
  const asBody = `(async () => {\n${source}\n})()`;
  const wrap = (code: string) =>
    `(async () => { const value = await ${code}; return value === undefined ? undefined : JSON.stringify(value); })()`;
  let json: unknown;
  try {
    json = await page.evaluate(wrap(asExpression));
  } catch (err) {
    if (!/SyntaxError/.test((err as Error).message)) throw err;
    json = await page.evaluate(wrap(asBody));
  }
  if (typeof json !== 'string') throw new Error('the script returned nothing; end it with a value, or return one');
  if (json.length > MAX_EVALUATE_CHARS) throw new Error(`the script's result is over ${MAX_EVALUATE_CHARS} characters`);
  return JSON.parse(json);
}

/** Runs one step; returns what an extraction produced (undefined for other actions). */
export async function runStep(scope: StepScope, step: BrowserStep, timeout: number): Promise<unknown> {
  const page = scope.tabs.current;
  const target = textOf(step.target).trim();
  const value = textOf(step.value);
  const element = () => locate(page, required(target, 'the locator'));
  switch (step.action) {
    case 'goto':
      return gotoUrl(page, required(target, 'the URL'), timeout);
    case 'click':
      return element().click({ timeout });
    case 'fill':
      return element().fill(value, { timeout });
    case 'type':
      return element().pressSequentially(value, { timeout });
    case 'press':
      return target === '' ? page.keyboard.press(required(value, 'the key')) : element().press(value, { timeout });
    case 'select':
      return void (await element().selectOption(value, { timeout }));
    case 'check':
      return element().check({ timeout });
    case 'uncheck':
      return element().uncheck({ timeout });
    case 'hover':
      return element().hover({ timeout });
    case 'waitFor': {
      const state = (value || 'visible') as (typeof WAIT_STATES)[number];
      if (!WAIT_STATES.includes(state)) throw new Error(`Value must be one of ${WAIT_STATES.join(', ')}`);
      return element().waitFor({ state, timeout });
    }
    case 'extractText':
      return (await element().innerText({ timeout })).replace(/\s+/g, ' ').trim();
    case 'extractAttribute':
      return element().getAttribute(required(value, 'the attribute name (Value)'), { timeout });
    case 'extractTable':
      return extractTable(element(), timeout);
    case 'extractMany':
      return extractMany(element(), fieldMap(step.value), timeout);
    case 'screenshot':
      return target === '' ? page.screenshot({ timeout, fullPage: true }) : element().screenshot({ timeout });
    case 'assert':
      return value === '' ? element().waitFor({ state: 'visible', timeout }) : assertText(page, target, value, timeout);
    case 'upload':
      return upload(scope.files, element(), step.value, timeout);
    case 'download':
      return download(scope.files, page, element(), scope.maxDownloadBytes, timeout);
    case 'pdf':
      return pdf(scope.files, page, `step-${scope.index}.pdf`);
    case 'evaluate':
      return evaluate(page, required(value.trim(), 'the script (Value)'));
    case 'waitForUrl':
      return page.waitForURL(urlMatcher(required(target, 'the URL pattern')), { timeout });
    case 'waitForNetworkIdle':
      return page.waitForLoadState('networkidle', { timeout });
    case 'assertUrl':
      return assertUrl(page, required(value || target, 'the URL pattern (Value)'), timeout);
    case 'switchPage':
      return scope.tabs.switchTo(required(target, 'the page (popup, first or part of its URL)'), timeout);
  }
}
