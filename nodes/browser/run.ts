// Runs a Browser node: a fresh context on the worker's pooled Chromium (pool.ts) whose every request goes through
// a guard proxy (guard-proxy.ts), the steps in order (steps.ts), each recorded. The context is closed whatever happens, so a
// failed or cancelled run leaves nothing behind and the worker serves the next one.
import type { BrowserContext, Page } from 'playwright-core';
import type { FileRef } from '../../contracts/file-ref';
import { scrubUrlSecrets } from '../../contracts/redaction';
import type { NodeRunner, RunContext } from '../define';
import { NodeError } from '../errors';
import { ALLOW_HOSTS_ENV, parseAllowList } from '../http-request/address-policy';
import { runBrowserCode } from './code/run-code';
import { openLogin, type LoginValues } from './credential-tokens';
import { PageTabs } from './pages';
import { runWithPuppeteer } from './puppeteer/run';
import { pooledBrowser } from './pool';
import { guardDownloads } from './download-guard';
import { startGuardProxy, type GuardProxy } from './guard-proxy';
import { parseAllowedDomains } from './request-guard';
import { DEFAULT_MAX_DOWNLOAD_MB, DEFAULT_STEP_TIMEOUT_MS, STORING_ACTIONS, type BrowserStep, type spec } from './spec';
import { saveSessionAtEnd, saveSessionNow, startingState } from './sessions';
import { runStep } from './steps';
import { STEP_GRACE_MS, playwrightReason as reasonOf, store, withDeadline } from './step-helpers';
import { startTrace, type Trace } from './trace';
import { handOver, takeoverBudget } from './takeover';

type Params = Parameters<NodeRunner<typeof spec.params>>[1];

export interface StepRecord {
  index: number;
  action: BrowserStep['action'];
  target: string;
  url: string;
  durationMs: number;
  ok: boolean;
  screenshot?: FileRef;
  /** Who finished the step by hand after it failed (human takeover). */
  person?: string;
  /** Why the step failed (on the failed step of a failure's details). */
  error?: string;
  /** The key of `data` the step stored its result under (the value itself stays in `data`). */
  extracted?: string;
}

async function openContext(ctx: RunContext, params: Params, proxy: GuardProxy): Promise<BrowserContext> {
  let browser;
  try {
    browser = await pooledBrowser();
  } catch (err) {
    throw new NodeError(`Browser: Chromium could not start (${reasonOf(err)}); check BATON_CHROMIUM on the worker`, {
      code: 'browser-launch',
    });
  }
  const storageState = await startingState(ctx, params);
  const context = await browser.newContext({
    viewport: { width: params.viewportWidth ?? 1280, height: params.viewportHeight ?? 800 },
    ...(params.userAgent ? { userAgent: params.userAgent } : {}),
    ...(params.locale ? { locale: params.locale } : {}),
    ...(params.timezone ? { timezoneId: params.timezone } : {}),
    ...(storageState ? { storageState } : {}),
    // Every request goes through the guard proxy, loopback included (Chromium bypasses proxies for it by default).
    proxy: { server: proxy.server, bypass: '<-loopback>' },
    serviceWorkers: 'block',
    // Code mode has no download API (decision 057): a download a script starts is refused, not written to disk.
    acceptDownloads: params.mode !== 'code',
  });
  await sendIdempotencyKey(context, ctx.idempotencyKey);
  return context;
}

/**
 * Every request carries the step's idempotency key, stable across retries, so a site that honours it applies a form
 * submitted twice only once. Added in a route: with setExtraHTTPHeaders Chromium preflights cross-origin requests for
 * the header, and a site whose CORS does not allow it breaks (its fetches fail).
 */
async function sendIdempotencyKey(context: BrowserContext, key: string): Promise<void> {
  await context.route('**/*', (route) =>
    route.fallback({ headers: { ...route.request().headers(), 'idempotency-key': key } }),
  );
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

/**
 * The failure with its evidence for the run page: the steps done, the failed one (with its error and screenshot),
 * the page's URL and the trace.
 */
function withEvidence(failure: NodeError, details: Record<string, unknown>): NodeError {
  return new NodeError(failure.message, { code: failure.code, retryable: failure.retryable, details });
}

/** What went away under a failed step: the whole browser, the page's renderer, or nothing (the step itself failed). */
type Crash = 'browser' | 'page' | undefined;

function stepError(index: number, step: BrowserStep, target: string, reason: string, crash: Crash): NodeError {
  const where = `Step ${index} (${step.action}${target ? ` ${target}` : ''})`;
  if (crash === 'browser')
    return new NodeError(`${where}: the browser crashed or was closed (${reason})`, { code: 'browser-crashed' });
  if (crash === 'page')
    return new NodeError(`${where}: the page crashed (its renderer process died: ${reason})`, {
      code: 'browser-crashed',
    });
  return new NodeError(`${where}: ${reason}`, { code: 'browser-step', retryable: false });
}

/** The pages of `context` whose renderer crashed ("Aw, Snap!"): their pending calls fail, the browser lives on. */
function watchCrashes(context: BrowserContext): WeakSet<Page> {
  const crashed = new WeakSet<Page>();
  context.on('page', (page) => page.once('crash', () => crashed.add(page)));
  return crashed;
}

async function runSteps(
  ctx: RunContext,
  params: Params,
  context: BrowserContext,
  refusals: string[],
  login: LoginValues | undefined,
) {
  const timeout = params.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const trace: Trace = await startTrace(context, params.trace, login !== undefined);
  const crashedPages = watchCrashes(context);
  const tabs = new PageTabs(context, await context.newPage());
  tabs.current.setDefaultTimeout(timeout);
  tabs.current.setDefaultNavigationTimeout(timeout);
  const maxDownloadBytes = (params.maxDownloadMb ?? DEFAULT_MAX_DOWNLOAD_MB) * 1024 * 1024;
  const data: Record<string, unknown> = {};
  const steps: StepRecord[] = [];
  const people = takeoverBudget(params);
  for (const [i, step] of params.steps.entries()) {
    const index = i + 1;
    ctx.heartbeat({ step: index });
    tabs.stepStarts(index);
    refusals.length = 0;
    const target = scrubUrlSecrets(typeof step.target === 'string' ? step.target.trim() : '');
    const started = performance.now();
    const record: StepRecord = { index, action: step.action, target, url: '', durationMs: 0, ok: true };
    try {
      // Any step may start a download (an export link, a person taking over): all are capped as they arrive. Started
      // inside the step (at once after the first), so a browser that dies meanwhile is that step's crash.
      await guardDownloads(tabs.current, maxDownloadBytes);
      const work =
        step.action === 'saveSession'
          ? saveSessionNow(ctx, params, context, typeof step.target === 'string' ? step.target : '')
          : runStep(
              { tabs, files: ctx.files, index, maxDownloadBytes },
              login ? { ...step, value: login.fill(step.value) } : step,
              timeout,
            );
      let result = await withDeadline(work, timeout + STEP_GRACE_MS);
      if (refusals.length > 0) throw new Error(`request blocked: ${refusals[0]}`);
      if (step.action === 'screenshot') {
        if (!ctx.files) throw new Error('screenshots cannot be stored here (no file store)');
        result = record.screenshot = await ctx.files.save({
          name: `step-${index}.png`,
          mimeType: 'image/png',
          data: result as Buffer,
        });
      }
      if (STORING_ACTIONS.has(step.action)) store(data, (record.extracted = step.name || `step${index}`), result);
      const page = tabs.current;
      record.url = scrubUrlSecrets(page.url());
      record.durationMs = Math.round(performance.now() - started);
      if (params.screenshots === 'every' && !record.screenshot)
        record.screenshot = await screenshot(ctx, page, `step-${index}.png`);
      steps.push(record);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      const page = tabs.current;
      const crash: Crash =
        refusals.length > 0
          ? undefined
          : (await browserGone(context, err))
            ? 'browser'
            : crashedPages.has(page)
              ? 'page'
              : undefined;
      const crashed = crash !== undefined;
      const cause = refusals.length > 0 ? `request blocked: ${refusals[0]}` : reasonOf(err);
      const reason = login ? login.scrub(cause) : cause;
      const shot =
        params.screenshots !== 'none' && !crashed
          ? await screenshot(ctx, page, `step-${index}-failure.png`)
          : undefined;
      ctx.log.warn('Browser step failed', { step: index, action: step.action, screenshot: shot?.$batonFile });
      const failure = stepError(index, step, target, scrubUrlSecrets(reason), crash);
      // A person may finish the step (decision 059); a crash or a refused host is not theirs to fix.
      const handed =
        crashed || refusals.length > 0 ? undefined : await handOver(ctx, params, page, failure, people, shot);
      if (!handed) {
        const url = crashed ? record.url : scrubUrlSecrets(page.url());
        const failed: StepRecord = {
          ...record,
          url,
          durationMs: Math.round(performance.now() - started),
          ok: false,
          error: failure.message,
          ...(shot && { screenshot: shot }),
        };
        const evidence = await trace.keep(ctx.files);
        throw withEvidence(failure, { steps: [...steps, failed], url, ...evidence });
      }
      steps.push({
        ...record,
        url: scrubUrlSecrets(page.url()),
        durationMs: Math.round(performance.now() - started),
        person: handed.by ?? 'a person',
      });
    }
  }
  await trace.drop();
  return { data, steps, url: scrubUrlSecrets(tabs.current.url()), title: await tabs.current.title() };
}

export const run: NodeRunner<typeof spec.params> = async (ctx, params, input) => {
  // The Puppeteer engine runs the same steps its own way (puppeteer/run.ts, docs/decisions/058).
  if (params.engine === 'puppeteer' && params.mode !== 'code') return runWithPuppeteer(ctx, params);
  const refusals: string[] = [];
  // Before the browser starts: a token with no credential fails at once, naming its step.
  const login = params.mode === 'code' ? undefined : await openLogin(ctx, params.credential, params.steps);
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
    context = await openContext(ctx, params, proxy);
    if (params.blockImagesAndFonts) await blockImagesAndFonts(context);
    const result =
      params.mode === 'code'
        ? await runBrowserCode(ctx, params, context, refusals, input)
        : await runSteps(ctx, params, context, refusals, login);
    await saveSessionAtEnd(ctx, params, context, true);
    return result;
  } catch (err) {
    if (context && !ctx.signal.aborted) await saveSessionAtEnd(ctx, params, context, false);
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
