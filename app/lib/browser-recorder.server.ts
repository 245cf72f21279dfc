// One recording session of the Browser node recorder, in the web process: a fresh context on the pooled Chromium
// whose every request goes through the same guard proxy as runs (so the recorder reaches only what a run could),
// the active page streamed as a screencast, the person's input replayed on it, and the steps the injected script
// reports (nodes/browser/recorder-script.ts) turned into Browser node steps. Steps inside iframes get `frame=`
// segments (browser-recorder-frames.server.ts); a page the active one opens becomes the active one, recorded as a
// `switchPage` step. Socket wiring: browser-recorder-socket.server.ts.
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import type { LiveFrame, LiveInput } from '../../contracts/browser-live';
import type { RecordedStep, RecorderStatusMessage } from '../../contracts/browser-recorder';
import { scrubUrlSecrets } from '../../contracts/redaction';
import { startGuardProxy, type GuardProxy } from '../../nodes/browser/guard-proxy';
import { applyInput, startScreencast } from '../../nodes/browser/live';
import { pooledBrowser } from '../../nodes/browser/pool';
import type { ListProposal } from '../../nodes/browser/locator-gen-list';
import {
  HIGHLIGHT_AT,
  PICK_AT,
  PICK_LIST_AT,
  RECORDER_BINDING,
  recorderInitScript,
  type PickedElement,
} from '../../nodes/browser/recorder-script';
import { parseAllowedDomains, refusalOf } from '../../nodes/browser/request-guard';
import { ALLOW_HOSTS_ENV, parseAllowList, type AllowList } from '../../nodes/http-request/address-policy';
import { frameAt, framePath, inFrame } from './browser-recorder-frames.server';
import { listStep, pageActionSchema, pickStep, stepOf } from './browser-recorder-steps.server';

export { PASSWORD_PLACEHOLDER } from './browser-recorder-steps.server';

/** What a session tells its client. */
export interface SessionEvents {
  frame(frame: LiveFrame): void;
  step(step: RecordedStep): void;
  status(status: Omit<RecorderStatusMessage, 'sessionId'>): void;
}

const NAVIGATION_TIMEOUT_MS = 30_000;

/** `example.com/path` → `https://example.com/path`; anything but http(s) is refused. */
export function recorderUrl(text: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  const url = URL.canParse(withScheme) ? new URL(withScheme) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname)
    throw new Error(`"${text}" is not a web address; enter one such as https://example.com/login`);
  return url.href;
}

type WindowFunctions = Record<string, ((...args: unknown[]) => unknown) | undefined>;

function reasonOf(err: unknown): string {
  return ((err as Error)?.message ?? String(err)).split('\n')[0].replace(/^[\w.]+: /, '');
}

export class RecorderSession {
  readonly id = randomUUID();
  private context?: BrowserContext;
  private page?: Page;
  private proxy?: GuardProxy;
  /** Each page's screencast, kept running while the page is open: only the active page's frames are sent. */
  private readonly screencasts = new Map<Page, () => Promise<void>>();
  private picking: false | 'element' | 'list' = false;
  /** The frame last outlined in pick mode, so the outline leaves it when the pointer moves to another. */
  private outlined?: Frame;
  /** Steps the page reported, in order: one inside a frame waits for the frame's locator. */
  private reports: Promise<void> = Promise.resolve();
  /** Inputs are replayed one after another, in the order they came. */
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  /** A pick's pointer-down was taken: its pointer-up must not reach the page either. */
  private swallowUp = false;
  private refusals: string[] = [];
  private policy: { domains: string[]; allow: AllowList } = { domains: [], allow: parseAllowList('') };
  private ended?: Promise<void>;
  /** Closing waits for this: a socket that leaves while the browser opens must not leave a context behind. */
  private opening?: Promise<void>;

  constructor(
    readonly userId: string,
    private readonly events: SessionEvents,
    private readonly onEnd: () => void,
  ) {}

  /** Opens the browser; the first navigation is `goto`'s. Throws with a message for the person. */
  open(opts: { allowedDomains?: string; viewport?: { width: number; height: number } }): Promise<void> {
    this.opening = this.openBrowser(opts);
    return this.opening;
  }

  private async openBrowser(opts: { allowedDomains?: string; viewport?: { width: number; height: number } }) {
    this.policy = {
      domains: parseAllowedDomains(opts.allowedDomains),
      allow: parseAllowList(process.env[ALLOW_HOSTS_ENV]),
    };
    this.proxy = await startGuardProxy(this.policy.domains, this.policy.allow, (reason) => this.refused(reason));
    const browser = await pooledBrowser().catch((err: unknown) => {
      throw new Error(`Chromium could not start on the server (${reasonOf(err)}); check BATON_CHROMIUM`);
    });
    const context = await browser.newContext({
      viewport: opts.viewport ?? { width: 1280, height: 800 },
      proxy: { server: this.proxy.server, bypass: '<-loopback>' },
      serviceWorkers: 'block',
      acceptDownloads: false,
    });
    this.context = context;
    await context.exposeBinding(RECORDER_BINDING, (source, payload: unknown) => {
      if (source.page !== this.page) return;
      const action = pageActionSchema.safeParse(payload);
      if (!action.success) return;
      this.reports = this.reports
        .then(async () => {
          const locator = inFrame(await framePath(source.frame), action.data.locator);
          this.events.step(stepOf({ ...action.data, locator }));
        })
        .catch(() => undefined); // the frame went away with its step
    });
    await context.addInitScript({ content: recorderInitScript() });
    // A page the active one opens (target=_blank, window.open) becomes the active one, as in the person's browser.
    context.on('page', (opened) => {
      if (this.page && opened !== this.page) void this.follow(opened);
    });
    this.maxWidth = opts.viewport?.width ?? 1280;
    browser.once('disconnected', () => void this.close('The browser on the server stopped.'));
    await this.show(await context.newPage());
  }

  private maxWidth = 1280;

  /** Makes `page` the one streamed and driven: its navigations are reported and its closing handled. */
  private async show(page: Page): Promise<void> {
    this.page = page;
    this.outlined = undefined;
    if (this.screencasts.has(page)) return this.repaint(page);
    page.on('framenavigated', (frame) => {
      if (page === this.page && frame === page.mainFrame()) this.events.status({ url: scrubUrlSecrets(frame.url()) });
    });
    page.on('load', () => {
      void page.title().then(
        (title) => page === this.page && this.events.status({ url: scrubUrlSecrets(page.url()), title }),
        () => undefined,
      );
    });
    page.on('close', () => void this.closed(page));
    page.on('close', () => {
      void this.screencasts
        .get(page)?.()
        .catch(() => undefined);
      this.screencasts.delete(page);
    });
    // Started once per page and kept: attaching to a page again after a popup closed fails in Chromium
    // ("No target with given id"), so returning to a page only switches which frames are sent.
    const stop = await startScreencast(page, (frame) => page === this.page && this.events.frame(frame), {
      maxWidth: this.maxWidth,
    });
    this.screencasts.set(page, stop);
  }

  /** Makes a page that is shown again paint, so its screencast sends a frame of it now. */
  private async repaint(page: Page): Promise<void> {
    await page
      .evaluate(() => {
        const style = document.documentElement.style;
        const before = style.opacity;
        style.opacity = '0.999';
        requestAnimationFrame(() => requestAnimationFrame(() => (style.opacity = before)));
      })
      .catch(() => undefined);
  }

  /** A popup opened: recorded as `switchPage popup` once the click that opened it was, then shown. */
  private async follow(opened: Page): Promise<void> {
    await opened.waitForLoadState('domcontentloaded').catch(() => undefined);
    await this.reports;
    if (this.ended || opened.isClosed()) return;
    this.events.step({ id: randomUUID(), action: 'switchPage', target: 'popup' });
    await this.show(opened);
    this.events.status({ url: scrubUrlSecrets(opened.url()), title: await opened.title().catch(() => '') });
  }

  /** The active page closed: back to the first page still open (a `switchPage` step), or the session ends. */
  private async closed(page: Page): Promise<void> {
    if (page !== this.page || this.ended) return;
    const open = this.context?.pages().filter((p) => !p.isClosed()) ?? [];
    const next = open[0];
    if (!next) return void this.close('The page was closed.');
    const target = next === this.context?.pages()[0] ? 'first' : scrubUrlSecrets(next.url());
    this.events.step({ id: randomUUID(), action: 'switchPage', target });
    await this.show(next);
    this.events.status({ url: scrubUrlSecrets(next.url()), title: await next.title().catch(() => '') });
  }

  /** Navigates to `url`; a navigation that worked is recorded as a `goto` step. */
  async goto(text: string): Promise<void> {
    const page = this.page;
    if (!page) return;
    let url: string;
    try {
      url = recorderUrl(text);
    } catch (err) {
      return this.events.status({ error: (err as Error).message });
    }
    // Checked before navigating: the proxy would refuse it too, but Chromium then shows its error page, a needless
    // load (and a process swap) before the person can go on.
    const refusal = await refusalOf(new URL(url), this.policy.domains, this.policy.allow);
    if (refusal) return this.events.status({ error: `Could not open ${scrubUrlSecrets(url)}: ${refusal}` });
    this.refusals = [];
    try {
      await page.goto(url, { timeout: NAVIGATION_TIMEOUT_MS, waitUntil: 'load' });
    } catch (err) {
      if (this.ended) return;
      const reason = this.refusals[0] ? `the request was refused: ${this.refusals[0]}` : reasonOf(err);
      return this.events.status({ error: `Could not open ${scrubUrlSecrets(url)}: ${reason}` });
    }
    // The guard proxy answers a refused request with a 403 page, which is a navigation that "worked".
    if (this.refusals[0])
      return this.events.status({
        error: `Could not open ${scrubUrlSecrets(url)}: the request was refused: ${this.refusals[0]}`,
      });
    this.events.step({ id: randomUUID(), action: 'goto', target: url });
    this.events.status({ url: scrubUrlSecrets(page.url()), title: await page.title().catch(() => '') });
  }

  /**
   * Pick mode: the next click chooses an element to extract instead of reaching the page; with `list`, a repeated
   * element (a row, a card) whose like siblings an extractMany step reads.
   */
  setPicking(on: boolean, list = false): void {
    this.picking = on ? (list ? 'list' : 'element') : false;
    if (!on) void this.highlight(null, null);
    this.events.status({ picking: on, pickingList: on && list });
  }

  /** Queues an input; inputs past a backlog of 100 are dropped (pointer moves of a client far ahead). */
  input(input: LiveInput): void {
    if (this.queued >= 100 || this.ended) return;
    this.queued++;
    this.queue = this.queue
      .then(() => this.apply(input))
      .catch((err: unknown) => {
        if (!this.ended) this.events.status({ error: `That input did not reach the page: ${reasonOf(err)}` });
      })
      .finally(() => this.queued--);
  }

  private async apply(input: LiveInput): Promise<void> {
    const page = this.page;
    if (!page) return;
    if (this.picking && 'x' in input) {
      if (input.type === 'move') return this.highlight(input.x, input.y);
      if (input.type === 'down' || input.type === 'click') return this.pick(input.x, input.y, input.type === 'down');
    }
    if (this.swallowUp && input.type === 'up') {
      this.swallowUp = false;
      return;
    }
    await applyInput(page, input);
  }

  private async pick(x: number, y: number, fromPointerDown: boolean): Promise<void> {
    this.swallowUp = fromPointerDown;
    const list = this.picking === 'list';
    const at = await frameAt(this.page!.mainFrame(), x, y);
    const picked = await at.frame.evaluate(([fn, px, py]) => (window as unknown as WindowFunctions)[fn]?.(px, py), [
      list ? PICK_LIST_AT : PICK_AT,
      at.x,
      at.y,
    ] as const);
    this.setPicking(false);
    if (!picked)
      return this.events.status({
        error: list
          ? 'No repeated element there; pick one row of a table, or one card or item of a list.'
          : 'Nothing to extract there; pick an element on the page.',
      });
    const path = await framePath(at.frame);
    this.events.step(list ? listStep(picked as ListProposal, path) : pickStep(picked as PickedElement, path));
  }

  /** Outlines the element under the point, inside whichever frame it is in; (null, null) removes the outline. */
  private async highlight(x: number | null, y: number | null): Promise<void> {
    const page = this.page;
    if (!page) return;
    const outline = (frame: Frame, px: number | null, py: number | null) =>
      frame
        .evaluate(([fn, a, b]) => (window as unknown as WindowFunctions)[fn]?.(a, b), [HIGHLIGHT_AT, px, py] as const)
        .catch(() => undefined);
    const at = x === null || y === null ? undefined : await frameAt(page.mainFrame(), x, y).catch(() => undefined);
    if (this.outlined && this.outlined !== at?.frame && !this.outlined.isDetached())
      await outline(this.outlined, null, null);
    this.outlined = at?.frame;
    if (at) await outline(at.frame, at.x, at.y);
  }

  private refused(reason: string): void {
    if (this.refusals.includes(reason)) return;
    this.refusals.push(reason);
    this.events.status({ error: `A request was refused: ${reason}` });
  }

  /** Ends the session (idempotent): the context, its page and the proxy are closed. */
  close(reason: string): Promise<void> {
    this.ended ??= (async () => {
      this.onEnd();
      await this.opening?.catch(() => undefined);
      await Promise.all([...this.screencasts.values()].map((stop) => stop().catch(() => undefined)));
      await this.context?.close().catch(() => undefined);
      await this.proxy?.close();
      this.events.status({ ended: reason });
    })();
    return this.ended;
  }
}
