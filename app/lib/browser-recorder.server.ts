// One recording session of the Browser node recorder, in the web process: a fresh context on the pooled Chromium
// whose every request goes through the same guard proxy as runs (so the recorder reaches only what a run could),
// one page streamed as a screencast, the person's input replayed on it, and the steps the injected script reports
// (nodes/browser/recorder-script.ts) turned into Browser node steps. Socket wiring: browser-recorder-socket.server.ts.
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { z } from 'zod';
import type { LiveFrame, LiveInput } from '../../contracts/browser-live';
import type { RecordedStep, RecorderStatusMessage } from '../../contracts/browser-recorder';
import { scrubUrlSecrets } from '../../contracts/redaction';
import { startGuardProxy, type GuardProxy } from '../../nodes/browser/guard-proxy';
import { applyInput, startScreencast } from '../../nodes/browser/live';
import { pooledBrowser } from '../../nodes/browser/pool';
import {
  HIGHLIGHT_AT,
  PICK_AT,
  RECORDER_BINDING,
  recorderInitScript,
  type PageAction,
  type PickedElement,
} from '../../nodes/browser/recorder-script';
import { parseAllowedDomains, refusalOf } from '../../nodes/browser/request-guard';
import { ALLOW_HOSTS_ENV, parseAllowList, type AllowList } from '../../nodes/http-request/address-policy';

/** What a session tells its client. */
export interface SessionEvents {
  frame(frame: LiveFrame): void;
  step(step: RecordedStep): void;
  status(status: Omit<RecorderStatusMessage, 'sessionId'>): void;
}

/** The value a recorded password fill holds: the node's Website login credential fills it in at run time. */
export const PASSWORD_PLACEHOLDER = '$credential.password';
const PASSWORD_NOTE =
  'The typed password is not recorded: at run time this step fills in the password of the Website login ' +
  'credential picked in the node’s Credential field.';
const NAVIGATION_TIMEOUT_MS = 30_000;

// The page can call the binding itself, so what it reports is checked like any other untrusted input.
const locator = z.string().min(1).max(2000);
const pageActionSchema: z.ZodType<PageAction> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('click'), locator }),
  z.object({ kind: z.literal('fill'), locator, value: z.string().max(10_000), secret: z.boolean() }),
  z.object({ kind: z.literal('select'), locator, value: z.string().max(2000) }),
  z.object({ kind: z.enum(['check', 'uncheck']), locator }),
  z.object({ kind: z.literal('press'), locator, key: z.literal('Enter') }),
]);

/** `example.com/path` → `https://example.com/path`; anything but http(s) is refused. */
export function recorderUrl(text: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  const url = URL.canParse(withScheme) ? new URL(withScheme) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname)
    throw new Error(`"${text}" is not a web address; enter one such as https://example.com/login`);
  return url.href;
}

function stepOf(action: PageAction): RecordedStep {
  const id = randomUUID();
  switch (action.kind) {
    case 'fill':
      return action.secret
        ? { id, action: 'fill', target: action.locator, value: PASSWORD_PLACEHOLDER, note: PASSWORD_NOTE }
        : { id, action: 'fill', target: action.locator, value: action.value };
    case 'select':
      return { id, action: 'select', target: action.locator, value: action.value };
    case 'press':
      return { id, action: 'press', target: action.locator, value: action.key };
    default:
      return { id, action: action.kind, target: action.locator };
  }
}

/** A short camelCase name for an extraction from the picked element's text ("Welcome, Ada" → welcomeAda). */
function suggestedName(picked: PickedElement): string {
  if (picked.table) return 'table';
  const words =
    picked.text
      .toLowerCase()
      .match(/[a-z0-9]+/g)
      ?.slice(0, 3) ?? [];
  const name = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
  return /^[a-z]/.test(name) ? name.slice(0, 40) : 'text';
}

function pickStep(picked: PickedElement): RecordedStep {
  const pick = { locator: picked.locator, table: picked.table, text: picked.text, attributes: picked.attributes };
  const name = suggestedName(picked);
  return picked.table
    ? { id: randomUUID(), action: 'extractTable', target: picked.table, name, pick }
    : { id: randomUUID(), action: 'extractText', target: picked.locator, name, pick };
}

function reasonOf(err: unknown): string {
  return ((err as Error)?.message ?? String(err)).split('\n')[0].replace(/^[\w.]+: /, '');
}

export class RecorderSession {
  readonly id = randomUUID();
  private context?: BrowserContext;
  private page?: Page;
  private proxy?: GuardProxy;
  private stopScreencast?: () => Promise<void>;
  private picking = false;
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
      if (source.frame !== this.page?.mainFrame()) return;
      const action = pageActionSchema.safeParse(payload);
      if (action.success) this.events.step(stepOf(action.data));
    });
    await context.addInitScript({ content: recorderInitScript() });
    // A page that opens a window would leave the person looking at the old one: the window is closed and said so.
    context.on('page', (opened) => {
      if (!this.page || opened === this.page) return; // the first page is the session's own (newPage below)
      void opened.close().catch(() => undefined);
      this.events.status({ error: 'The page tried to open a new window; it was closed. Go on in this one.' });
    });
    const page = await context.newPage();
    this.page = page;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.events.status({ url: scrubUrlSecrets(frame.url()) });
    });
    page.on('load', () => {
      void page.title().then(
        (title) => this.events.status({ url: scrubUrlSecrets(page.url()), title }),
        () => undefined,
      );
    });
    page.on('close', () => void this.close('The page was closed.'));
    browser.once('disconnected', () => void this.close('The browser on the server stopped.'));
    this.stopScreencast = await startScreencast(page, (frame) => this.events.frame(frame), {
      maxWidth: opts.viewport?.width ?? 1280,
    });
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

  /** Pick mode: the next click chooses an element to extract instead of reaching the page. */
  setPicking(on: boolean): void {
    this.picking = on;
    if (!on) void this.highlight(null, null);
    this.events.status({ picking: on });
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
    const picked = await this.page!.evaluate(
      ([fn, px, py]) => (window as unknown as Record<string, (x: number, y: number) => unknown>)[fn]?.(px, py),
      [PICK_AT, x, y] as const,
    );
    this.setPicking(false);
    if (!picked) return this.events.status({ error: 'Nothing to extract there; pick an element on the page.' });
    this.events.step(pickStep(picked as PickedElement));
  }

  private async highlight(x: number | null, y: number | null): Promise<void> {
    await this.page
      ?.evaluate(
        ([fn, px, py]) =>
          (window as unknown as Record<string, (x: number | null, y: number | null) => void>)[fn]?.(px, py),
        [HIGHLIGHT_AT, x, y] as const,
      )
      .catch(() => undefined);
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
      await this.stopScreencast?.().catch(() => undefined);
      await this.context?.close().catch(() => undefined);
      await this.proxy?.close();
      this.events.status({ ended: reason });
    })();
    return this.ended;
  }
}
