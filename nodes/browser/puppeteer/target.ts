// Where one Puppeteer step acts: its locator resolved, iframes entered (same-origin or out-of-process alike), in
// the step's time budget. Like Playwright's locators, a locator an action uses must name one element, and so must
// each frame= part.
import type { ElementHandle, Frame, Page } from 'puppeteer-core';
import { translateLocator, type FrameHop } from './locators';

/**
 * Puppeteer's timeouts name the translated selector; the step already names the locator the user wrote, and
 * `waitingFor` says which part of it never came (a frame).
 */
export async function withinTimeout<T>(work: Promise<T>, timeout: number, waitingFor?: string): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if ((err as Error)?.name === 'TimeoutError')
      throw new Error(`Timeout ${timeout}ms exceeded${waitingFor ? ` waiting for ${waitingFor}` : ''}`);
    throw err;
  }
}

/** What Puppeteer says when the document a call worked in went away mid-call. */
const NAVIGATED = new RegExp(
  [
    'Execution context was destroyed',
    'does not belong to the document',
    'belong to the same JavaScript world',
    'Cannot find context with specified id',
    'No node with given id',
    'Could not find node with given id',
    'detached Frame',
    'Node is detached',
  ].join('|'),
);

/** Whether `err` (or what caused it: Puppeteer wraps a failed wait) says the document went away mid-call. */
function navigatedUnder(err: unknown): boolean {
  for (let e = err as Error | undefined; e; e = e.cause as Error | undefined) {
    if (e.name === 'TimeoutError') return false;
    if (NAVIGATED.test(String(e.message))) return true;
  }
  return false;
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

  /** The frame the locator's element is in (its frame= parts entered) and the element's selector there. */
  async frame(): Promise<{ frame: Frame; selector: string }> {
    const { frames, selector } = translateLocator(this.locator);
    let frame = this.page.mainFrame();
    for (const hop of frames) frame = await this.enter(frame, hop);
    return { frame, selector };
  }

  /**
   * The document of the one iframe `hop` names in `frame`, as Playwright enters it: waited for, more than one match
   * or an element that is no iframe an error. An iframe just added may have no frame yet (an out-of-process one is
   * attached a moment later), so that is waited for too.
   */
  private async enter(frame: Frame, hop: FrameHop): Promise<Frame> {
    const waitingFor = `the frame "${hop.part}"`;
    for (;;) {
      const element = await withinTimeout(
        frame.waitForSelector(hop.selector, { timeout: this.left() }),
        this.timeout,
        waitingFor,
      );
      if (!element) throw new Error(`Timeout ${this.timeout}ms exceeded waiting for ${waitingFor}`);
      try {
        const all = await frame.$$(hop.selector);
        await Promise.all(all.map((handle) => handle.dispose()));
        if (all.length > 1)
          throw new Error(`the "${hop.part}" part matches ${all.length} elements; make it name one iframe`);
        const tag = await element.evaluate((el) => el.localName);
        if (tag !== 'iframe' && tag !== 'frame')
          throw new Error(`the "${hop.part}" part names a <${tag}>, not an iframe`);
        const inner = await element.contentFrame();
        if (inner) return inner;
      } finally {
        await element.dispose();
      }
      if (this.left() <= 1) throw new Error(`Timeout ${this.timeout}ms exceeded waiting for ${waitingFor}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The one element the locator names, once it is attached (or visible); more than one is an error. */
  only(visible = false): Promise<ElementHandle<Element>> {
    return this.acrossNavigations(() => this.findOnly(visible));
  }

  /**
   * Runs `work` again when the page navigated under it (its document, and the handles in it, went away), as
   * Playwright's locators re-resolve: a step right after a click that submits a form meets the next page.
   */
  async acrossNavigations<T>(work: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await work();
      } catch (err) {
        if (!navigatedUnder(err) || this.page.isClosed() || this.left() <= 1) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  private async findOnly(visible: boolean): Promise<ElementHandle<Element>> {
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
