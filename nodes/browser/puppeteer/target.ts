// Where one Puppeteer step acts: its locator resolved, iframes entered, in the step's time budget. Like
// Playwright's locators, a locator an action uses must name one element.
import type { ElementHandle, Frame, Page } from 'puppeteer-core';
import { translateLocator } from './locators';

/** Puppeteer's timeouts name the translated selector; the step already names the locator the user wrote. */
export async function withinTimeout<T>(work: Promise<T>, timeout: number): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if ((err as Error)?.name === 'TimeoutError') throw new Error(`Timeout ${timeout}ms exceeded`);
    throw err;
  }
}

/** Where one step acts: a frame of the page and a selector in it, within the step's time budget. */
export class Target {
  private readonly deadline: number;
  constructor(
    private readonly page: Page,
    readonly locator: string,
    /** The step timeout, for messages; waits use what is left of it. */
    readonly timeout: number,
  ) {
    this.deadline = Date.now() + timeout;
  }

  /** Milliseconds left of the step's timeout (at least 1: Puppeteer reads 0 as "no timeout"). */
  left(): number {
    return Math.max(1, this.deadline - Date.now());
  }

  async frame(): Promise<{ frame: Frame; selector: string }> {
    const { frames, selector } = translateLocator(this.locator);
    let frame = this.page.mainFrame();
    for (const frameSelector of frames) {
      const element = await withinTimeout(frame.waitForSelector(frameSelector, { timeout: this.left() }), this.timeout);
      const inner = await element?.contentFrame();
      await element?.dispose();
      if (!inner) throw new Error(`the frame= part "${frameSelector}" is not an iframe`);
      frame = inner;
    }
    return { frame, selector };
  }

  /** The one element the locator names, once it is attached (or visible); more than one is an error. */
  async only(visible = false): Promise<ElementHandle<Element>> {
    const { frame, selector } = await this.frame();
    const first = await withinTimeout(frame.waitForSelector(selector, { timeout: this.left(), visible }), this.timeout);
    const all = await frame.$$(selector);
    await Promise.all(all.map((handle) => handle.dispose()));
    if (all.length > 1) {
      await first?.dispose();
      throw new Error(`the locator matches ${all.length} elements; make it name one`);
    }
    return first as ElementHandle<Element>;
  }

  /** Puppeteer's locator for actions: it waits until the element is visible, enabled and still. */
  async actionable() {
    await (await this.only()).dispose();
    const { frame, selector } = await this.frame();
    return frame.locator(selector).setTimeout(this.left());
  }
}

/** The element's rendered text, whitespace collapsed, as Playwright's innerText step gives it. */
export async function innerText(element: ElementHandle<Element>): Promise<string> {
  const text = await element.evaluate((el) => (el instanceof HTMLElement ? el.innerText : (el.textContent ?? '')));
  return text.replace(/\s+/g, ' ').trim();
}
