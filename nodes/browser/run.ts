// Runs a Browser node: a fresh context on the worker's pooled Chromium (pool.ts) whose every request goes through
// a guard proxy (guard-proxy.ts), the steps in order (steps.ts), each recorded. The context is closed whatever happens, so a
// failed or cancelled run leaves nothing behind and the worker serves the next one.
import type { BrowserContext, Page } from 'playwright-core';
import type { FileRef } from '../../contracts/file-ref';
import { scrubUrlSecrets } from '../../contracts/redaction';
import type { NodeRunner, RunContext } from '../define';
import { NodeError } from '../errors';
import { ALLOW_HOSTS_ENV, parseAllowList } from '../http-request/address-policy';
import { pooledBrowser } from './pool';
import { startGuardProxy, type GuardProxy } from './guard-proxy';
import { parseAllowedDomains } from './request-guard';
import { DEFAULT_STEP_TIMEOUT_MS, type BrowserStep, type spec } from './spec';
import { runStep } from './steps';

type Params = Parameters<NodeRunner<typeof spec.params>>[1];

export interface StepRecord {
  index: number;
  action: BrowserStep['action'];
  target: string;
  url: string;
  durationMs: number;
  ok: boolean;
  screenshot?: FileRef;
}

const EXTRACTIONS = new Set(['extractText', 'extractAttribute', 'extractTable', 'extractMany', 'screenshot']);
/** How long past the step timeout a step may hang (a call Playwright cannot time out) before it is abandoned. */
const STEP_GRACE_MS = 2_000;

/** Extracted values; a list extracted under a name that already holds a list is appended (page after page). */
function store(data: Record<string, unknown>, name: string, value: unknown): void {
  const before = data[name];
  data[name] = Array.isArray(before) && Array.isArray(value) ? [...before, ...value] : value;
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the step did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The first line of a Playwright error, without its "locator.click: " prefix. */
function reasonOf(err: unknown): string {
  const first = ((err as Error)?.message ?? String(err)).split('\n')[0];
  return first.replace(/^[\w.]+: /, '');
}

async function openContext(params: Params, proxy: GuardProxy): Promise<BrowserContext> {
  let browser;
  try {
    browser = await pooledBrowser();
  } catch (err) {
    throw new NodeError(`Browser: Chromium could not start (${reasonOf(err)}); check BATON_CHROMIUM on the worker`, {
      code: 'browser-launch',
    });
  }
  return browser.newContext({
    viewport: { width: params.viewportWidth ?? 1280, height: params.viewportHeight ?? 800 },
    ...(params.userAgent ? { userAgent: params.userAgent } : {}),
    ...(params.locale ? { locale: params.locale } : {}),
    ...(params.timezone ? { timezoneId: params.timezone } : {}),
    // Every request goes through the guard proxy, loopback included (Chromium bypasses proxies for it by default).
    proxy: { server: proxy.server, bypass: '<-loopback>' },
    serviceWorkers: 'block',
    acceptDownloads: false,
  });
}

/** Images and fonts are aborted in the browser when asked; everything else goes to the guard proxy. */
async function blockImagesAndFonts(context: BrowserContext): Promise<void> {
  await context.route('**/*', (route) =>
    ['image', 'font'].includes(route.request().resourceType()) ? route.abort() : route.fallback(),
  );
}

async function screenshot(ctx: RunContext, page: Page, name: string): Promise<FileRef | undefined> {
  if (!ctx.files) return undefined;
  const data = await page.screenshot({ timeout: 5_000 }).catch(() => undefined);
  return data && ctx.files.save({ name, mimeType: 'image/png', data });
}

/**
 * Whether the step failed because the browser went away. Chromium's exit reaches Playwright a little after the
 * call it broke fails, so a failure other than a timeout waits up to half a second for the disconnect.
 */
async function browserGone(context: BrowserContext, err: unknown): Promise<boolean> {
  const browser = context.browser();
  if (!browser?.isConnected()) return true;
  if (/Timeout \d+ms exceeded/.test(reasonOf(err))) return false;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 500);
    browser.once('disconnected', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return !browser.isConnected();
}

function stepError(index: number, step: BrowserStep, target: string, reason: string, crashed: boolean): NodeError {
  const where = `Step ${index} (${step.action}${target ? ` ${target}` : ''})`;
  return crashed
    ? new NodeError(`${where}: the browser crashed or was closed (${reason})`, { code: 'browser-crashed' })
    : new NodeError(`${where}: ${reason}`, { code: 'browser-step', retryable: false });
}

async function runSteps(ctx: RunContext, params: Params, context: BrowserContext, refusals: string[]) {
  const timeout = params.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.setDefaultNavigationTimeout(timeout);
  const data: Record<string, unknown> = {};
  const steps: StepRecord[] = [];
  for (const [i, step] of params.steps.entries()) {
    const index = i + 1;
    ctx.heartbeat({ step: index });
    refusals.length = 0;
    const target = scrubUrlSecrets(typeof step.target === 'string' ? step.target.trim() : '');
    const started = performance.now();
    const record: StepRecord = { index, action: step.action, target, url: '', durationMs: 0, ok: true };
    try {
      let result = await withDeadline(runStep(page, step, timeout), timeout + STEP_GRACE_MS);
      if (refusals.length > 0) throw new Error(`request blocked: ${refusals[0]}`);
      if (step.action === 'screenshot') {
        if (!ctx.files) throw new Error('screenshots cannot be stored here (no file store)');
        result = record.screenshot = await ctx.files.save({
          name: `step-${index}.png`,
          mimeType: 'image/png',
          data: result as Buffer,
        });
      }
      if (EXTRACTIONS.has(step.action)) store(data, step.name || `step${index}`, result);
      record.url = scrubUrlSecrets(page.url());
      record.durationMs = Math.round(performance.now() - started);
      if (params.screenshots === 'every' && !record.screenshot)
        record.screenshot = await screenshot(ctx, page, `step-${index}.png`);
      steps.push(record);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      const crashed = refusals.length === 0 && (await browserGone(context, err));
      const reason = refusals.length > 0 ? `request blocked: ${refusals[0]}` : reasonOf(err);
      const shot =
        params.screenshots !== 'none' && !crashed
          ? await screenshot(ctx, page, `step-${index}-failure.png`)
          : undefined;
      ctx.log.warn('Browser step failed', { step: index, action: step.action, screenshot: shot?.$batonFile });
      throw stepError(index, step, target, scrubUrlSecrets(reason), crashed);
    }
  }
  return { data, steps, url: scrubUrlSecrets(page.url()), title: await page.title() };
}

export const run: NodeRunner<typeof spec.params> = async (ctx, params) => {
  const refusals: string[] = [];
  const domains = parseAllowedDomains(params.allowedDomains);
  const proxy = await startGuardProxy(domains, parseAllowList(process.env[ALLOW_HOSTS_ENV]), (reason) =>
    refusals.push(reason),
  );
  let context: BrowserContext | undefined;
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= context?.close().catch(() => undefined));
  // Cancellation closes the context, which makes whatever Playwright call is pending throw.
  const cancel = () => void close();
  ctx.signal.addEventListener('abort', cancel, { once: true });
  try {
    context = await openContext(params, proxy);
    if (params.blockImagesAndFonts) await blockImagesAndFonts(context);
    return await runSteps(ctx, params, context, refusals);
  } catch (err) {
    if (err instanceof NodeError || ctx.signal.aborted || context?.browser()?.isConnected()) throw err;
    throw new NodeError(`Browser: the browser crashed or was closed before the steps began (${reasonOf(err)})`, {
      code: 'browser-crashed',
    });
  } finally {
    ctx.signal.removeEventListener('abort', cancel);
    await close();
    await proxy.close();
  }
};
