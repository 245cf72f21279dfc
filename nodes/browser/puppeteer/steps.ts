// What each action does on the page, with Puppeteer: the same actions and meaning as ../steps.ts. Plain Errors
// here; the runner names the step. Like Playwright's locators, an action's locator must name one element.
import type { BrowserContext, ElementHandle, Page } from 'puppeteer-core';
import type { RunFiles } from '../../define';
import { fieldMap } from '../extract';
import type { BrowserStep } from '../spec';
import { extractMany, extractTable } from './extract';
import { pressKeys } from './keys';
import { elementScreenshot, evaluate, pdf, waitForNetworkIdle, waitForUrl } from './page-steps';
import type { PuppeteerTabs } from './pages';
import { innerText, Target, withinTimeout } from './target';
import { download, upload } from './transfer';
import { httpUrl, required, textOf } from '../step-helpers';

const WAIT_STATES = ['visible', 'hidden', 'attached', 'detached'] as const;

async function gotoUrl(page: Page, target: string, timeout: number): Promise<void> {
  await withinTimeout(page.goto(httpUrl(target), { timeout, waitUntil: 'load' }), timeout);
}

/** Whether a checkbox or radio is checked (null: the element is neither). */
function checkedState(element: ElementHandle<Element>): Promise<boolean | null> {
  return element.evaluate((el) => {
    if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) return el.checked;
    const aria = el.getAttribute('aria-checked');
    return aria === null ? null : aria === 'true';
  });
}

async function setChecked(target: Target, checked: boolean): Promise<void> {
  const element = await target.only();
  try {
    const before = await checkedState(element);
    if (before === null) throw new Error('the element is not a checkbox or radio button');
    if (before === checked) return;
    await withinTimeout((await target.actionable()).click(), target.timeout);
    if ((await checkedState(element)) !== checked) throw new Error('clicking the element did not change its state');
  } finally {
    await element.dispose();
  }
}

/** Selects the option whose value or label is `wanted`, as Playwright's selectOption does. */
async function selectOption(target: Target, wanted: string): Promise<void> {
  const element = await target.only();
  try {
    const found = await element.evaluate((el, text) => {
      if (!(el instanceof HTMLSelectElement)) return { error: 'the element is not a <select>' };
      const options = Array.from(el.options);
      const option = options.find((o) => o.value === text) ?? options.find((o) => o.label === text);
      return option ? { value: option.value } : { error: `the select has no option "${text}"` };
    }, wanted);
    if ('error' in found) throw new Error(found.error);
    await element.select(found.value);
  } finally {
    await element.dispose();
  }
}

async function waitForState(target: Target, state: (typeof WAIT_STATES)[number]): Promise<void> {
  if (state === 'attached' || state === 'visible') return void (await target.only(state === 'visible')).dispose();
  const { frame, selector } = await target.frame();
  if (state === 'hidden') {
    await withinTimeout(frame.waitForSelector(selector, { hidden: true, timeout: target.left() }), target.timeout);
    return;
  }
  for (;;) {
    const element = await frame.$(selector);
    if (!element) return;
    await element.dispose();
    if (target.left() <= 1) throw new Error(`Timeout ${target.timeout}ms exceeded`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the element's text contains `expected`, up to the step's timeout; the element is found anew each time. */
async function assertText(target: Target, expected: string): Promise<void> {
  for (;;) {
    const actual = await target.acrossNavigations(async () => {
      const element = await target.only(true);
      try {
        return await innerText(element);
      } finally {
        await element.dispose().catch(() => undefined);
      }
    });
    if (actual.includes(expected)) return;
    if (target.left() <= 1) throw new Error(`expected text "${expected}", found "${actual.slice(0, 200)}"`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What a step acts on besides its page: the open pages, their context, the run's files and the step's number. */
export interface StepScope {
  tabs: PuppeteerTabs;
  context: BrowserContext;
  files?: RunFiles;
  index: number;
  maxDownloadBytes: number;
}

/** Runs one step; returns what an extraction produced (undefined for other actions). */
export async function runStep(scope: StepScope, step: BrowserStep, timeout: number): Promise<unknown> {
  const page = scope.tabs.current;
  const locator = textOf(step.target).trim();
  const value = textOf(step.value);
  const target = () => new Target(page, required(locator, 'the locator'), timeout);
  const read = async <T>(use: (element: ElementHandle<Element>) => Promise<T>): Promise<T> => {
    const element = await target().only();
    try {
      return await use(element);
    } finally {
      await element.dispose();
    }
  };
  switch (step.action) {
    case 'goto':
      return gotoUrl(page, required(locator, 'the URL'), timeout);
    case 'click':
      return withinTimeout((await target().actionable()).click(), timeout);
    case 'fill':
      return withinTimeout((await target().actionable()).fill(value), timeout);
    case 'type':
      return read((element) => element.type(value));
    case 'press':
      return locator === ''
        ? pressKeys(page, required(value, 'the key'))
        : read(async (element) => {
            await element.focus();
            await pressKeys(page, required(value, 'the key'));
          });
    case 'select':
      return selectOption(target(), value);
    case 'check':
      return setChecked(target(), true);
    case 'uncheck':
      return setChecked(target(), false);
    case 'hover':
      return withinTimeout((await target().actionable()).hover(), timeout);
    case 'waitFor': {
      const state = (value || 'visible') as (typeof WAIT_STATES)[number];
      if (!WAIT_STATES.includes(state)) throw new Error(`Value must be one of ${WAIT_STATES.join(', ')}`);
      return waitForState(target(), state);
    }
    case 'extractText':
      return read(innerText);
    case 'extractAttribute': {
      const attribute = required(value, 'the attribute name (Value)');
      return read((element) => element.evaluate((el, name) => el.getAttribute(name), attribute));
    }
    case 'extractTable':
      return read(extractTable);
    case 'extractMany':
      return extractMany(target(), fieldMap(step.value));
    case 'screenshot':
      return locator === ''
        ? Buffer.from(await page.screenshot({ fullPage: true }))
        : read((element) => elementScreenshot(page, element));
    case 'assert':
      return value === '' ? waitForState(target(), 'visible') : assertText(target(), value);
    case 'upload':
      return read((element) => upload(scope.files, element, step.value));
    case 'download': {
      const link = target();
      const click = async () => withinTimeout((await link.actionable()).click(), timeout);
      return download(scope.files, scope.context, page, click, scope.maxDownloadBytes, timeout);
    }
    case 'switchPage':
      return scope.tabs.switchTo(required(locator, 'the page (popup, first or part of its URL)'), timeout);
    case 'pdf':
      return pdf(scope.files, page, `step-${scope.index}.pdf`);
    case 'evaluate':
      return evaluate(page, required(value.trim(), 'the script (Value)'));
    case 'waitForUrl': {
      const pattern = required(locator, 'the URL pattern');
      return waitForUrl(
        page,
        pattern,
        timeout,
        `Timeout ${timeout}ms exceeded waiting for a URL matching "${pattern}"`,
      );
    }
    case 'waitForNetworkIdle':
      return withinTimeout(waitForNetworkIdle(page, timeout), timeout);
    case 'assertUrl': {
      const pattern = required(value || locator, 'the URL pattern (Value)');
      return waitForUrl(page, pattern, timeout, `expected the URL to match "${pattern}", it is {url}`);
    }
    default:
      // saveSession is the runner's (it needs the node's Session); anything else is a step this engine lacks.
      throw new Error(`the Puppeteer engine does not run "${String(step.action)}" steps; choose the Playwright engine`);
  }
}
