// What each action does on the page. Plain Errors here; run.ts names the step in the message the run shows.
import type { Page } from 'playwright-core';
import { extractMany, extractTable, fieldMap } from './extract';
import { locate } from './locators';
import type { BrowserStep } from './spec';

const WAIT_STATES = ['visible', 'hidden', 'attached', 'detached'] as const;

/** A cell as text: numbers and booleans from expressions become their text. */
function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function required(text: string, what: string): string {
  if (text === '') throw new Error(`${what} is empty`);
  return text;
}

async function gotoUrl(page: Page, target: string, timeout: number): Promise<void> {
  const url = URL.canParse(target) ? new URL(target) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new Error(`"${target}" is not an absolute http(s) URL`);
  await page.goto(url.href, { timeout, waitUntil: 'load' });
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

/** Runs one step; returns what an extraction produced (undefined for other actions). */
export async function runStep(page: Page, step: BrowserStep, timeout: number): Promise<unknown> {
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
  }
}
