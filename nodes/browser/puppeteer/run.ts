// Runs a Browser node's steps with Puppeteer (the node's Engine param): the same guard proxy, step list, step records,
// errors (`Step N (action target): …`) and output as the Playwright runner (../run.ts), on the worker's pooled
// Puppeteer browser (pool.ts), with the same saved sessions (../sessions.ts) and human takeover (../takeover.ts). The
// context is closed whatever happens, cancellation included. The runner's small helpers (crash check, step message)
// are kept here rather than exported from ../run.ts, which another engine owns.
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import type { FileRef } from '../../../contracts/file-ref';
import { scrubUrlSecrets } from '../../../contracts/redaction';
import type { NodeRunner, RunContext } from '../../define';
import { NodeError } from '../../errors';
import { ALLOW_HOSTS_ENV, parseAllowList } from '../../http-request/address-policy';
import { openLogin, type LoginValues } from '../credential-tokens';
import { startGuardProxy } from '../guard-proxy';
import { parseAllowedDomains } from '../request-guard';
import type { StepRecord } from '../run';
import { saveSessionAtEnd, saveSessionNow, startingState, type StateSource } from '../sessions';
import {
  DEFAULT_MAX_DOWNLOAD_MB,
  DEFAULT_STEP_TIMEOUT_MS,
  STORING_ACTIONS,
  type BrowserStep,
  type spec,
} from '../spec';
import { STEP_GRACE_MS, store, withDeadline } from '../step-helpers';
import { handOverSurface, takeoverBudget } from '../takeover';
import { openContext, preparePage, reasonOf } from './context';
import { puppeteerSurface } from './live';
import { PuppeteerTabs } from './pages';
import { restoreState, stateSource } from './sessions';
import { runStep } from './steps';

type Params = Parameters<NodeRunner<typeof spec.params>>[1];

async function screenshot(ctx: RunContext, page: Page, name: string): Promise<FileRef | undefined> {
  if (!ctx.files) return undefined;
  const data = await withDeadline(page.screenshot(), 5_000).catch(() => undefined);
  return data && ctx.files.save({ name, mimeType: 'image/png', data: Buffer.from(data) });
}

/** Whether the step failed because the browser went away; its exit may reach Puppeteer just after the failure. */
async function browserGone(browser: Browser, err: unknown): Promise<boolean> {
  if (!browser.connected) return true;
  if (/^Timeout \d+ms exceeded/.test(reasonOf(err))) return false;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 500);
    browser.once('disconnected', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return !browser.connected;
}

/** `Step N (action target): reason`, the message both engines give. */
function stepMessage(index: number, step: BrowserStep, target: string, reason: string, crashed: boolean): string {
  const where = `Step ${index} (${step.action}${target ? ` ${target}` : ''})`;
  return crashed ? `${where}: the browser crashed or was closed (${reason})` : `${where}: ${reason}`;
}

/** What the failure keeps besides its steps and URL: Playwright's trace.zip has no Puppeteer counterpart. */
function traceNote(params: Params): { traceSkipped?: string } {
  return params.trace === 'never' ? {} : { traceSkipped: 'traces are kept by the Playwright engine only' };
}

/** The execution's browser: its context, its pages and where its saved session stands. */
interface Execution {
  context: BrowserContext;
  tabs: PuppeteerTabs;
  session: StateSource;
}

async function runSteps(
  ctx: RunContext,
  params: Params,
  { context, tabs, session }: Execution,
  refusals: string[],
  login: LoginValues | undefined,
) {
  const timeout = params.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
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
      const filled = login ? { ...step, value: login.fill(step.value) } : step;
      const work =
        step.action === 'saveSession'
          ? saveSessionNow(ctx, params, session, typeof step.target === 'string' ? step.target : '')
          : runStep({ tabs, context, files: ctx.files, index, maxDownloadBytes }, filled, timeout);
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
      const crashed = refusals.length === 0 && (await browserGone(context.browser(), err));
      const cause = refusals.length > 0 ? `request blocked: ${refusals[0]}` : reasonOf(err);
      const reason = login ? login.scrub(cause) : cause;
      const shot =
        params.screenshots !== 'none' && !crashed
          ? await screenshot(ctx, page, `step-${index}-failure.png`)
          : undefined;
      ctx.log.warn('Browser step failed', { step: index, action: step.action, screenshot: shot?.$batonFile });
      const message = stepMessage(index, step, target, scrubUrlSecrets(reason), crashed);
      const failure = crashed
        ? new NodeError(message, { code: 'browser-crashed' })
        : new NodeError(message, { code: 'browser-step', retryable: false });
      // A person may finish the step (decision 059); a crash or a refused host is not theirs to fix.
      const handed =
        crashed || refusals.length > 0
          ? undefined
          : await handOverSurface(ctx, params, puppeteerSurface(page), failure, people, shot);
      if (!handed) {
        // The failed step joins the records as the run page's evidence, as on the Playwright engine.
        const url = crashed ? record.url : scrubUrlSecrets(page.url());
        const durationMs = Math.round(performance.now() - started);
        const failed: StepRecord = {
          ...record,
          url,
          durationMs,
          ok: false,
          error: message,
          ...(shot && { screenshot: shot }),
        };
        const details = { steps: [...steps, failed], url, ...traceNote(params) };
        throw new NodeError(message, { code: failure.code, retryable: failure.retryable, details });
      }
      steps.push({
        ...record,
        url: scrubUrlSecrets(page.url()),
        durationMs: Math.round(performance.now() - started),
        person: handed.by ?? 'a person',
      });
    }
  }
  const page = tabs.current;
  return { data, steps, url: scrubUrlSecrets(page.url()), title: await page.title() };
}

/** The context with the saved session in it, its first page, and the pages it opens later. */
async function openExecution(ctx: RunContext, params: Params, context: BrowserContext): Promise<Execution> {
  const timeout = params.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const loaded = await startingState(ctx, params);
  if (loaded) await restoreState(context, loaded);
  const prepare = async (page: Page) => {
    await preparePage(ctx, params, page);
    page.setDefaultTimeout(timeout);
    page.setDefaultNavigationTimeout(timeout);
  };
  const first = await context.newPage();
  await prepare(first);
  const tabs = new PuppeteerTabs(context, first, prepare);
  return { context, tabs, session: stateSource(context, () => tabs.pages(), loaded) };
}

export const runWithPuppeteer = async (ctx: RunContext, params: Params) => {
  // Before the browser starts: a token with no credential fails at once, naming its step.
  const login = await openLogin(ctx, params.credential, params.steps);
  const refusals: string[] = [];
  const domains = parseAllowedDomains(params.allowedDomains);
  const proxy = await startGuardProxy(domains, parseAllowList(process.env[ALLOW_HOSTS_ENV]), (reason) =>
    refusals.push(reason),
  );
  let context: BrowserContext | undefined;
  let execution: Execution | undefined;
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= context?.close().catch(() => undefined));
  // Cancellation closes the context, which makes whatever Puppeteer call is pending throw.
  const cancel = () => void close();
  ctx.signal.addEventListener('abort', cancel, { once: true });
  try {
    context = await openContext(proxy);
    execution = await openExecution(ctx, params, context);
    const result = await runSteps(ctx, params, execution, refusals, login);
    await saveSessionAtEnd(ctx, params, execution.session, true);
    return result;
  } catch (err) {
    if (execution && !ctx.signal.aborted) await saveSessionAtEnd(ctx, params, execution.session, false);
    if (err instanceof NodeError || ctx.signal.aborted || context?.browser().connected) throw err;
    throw new NodeError(`Browser: the browser crashed or was closed before the steps began (${reasonOf(err)})`, {
      code: 'browser-crashed',
    });
  } finally {
    execution?.tabs.stop();
    ctx.signal.removeEventListener('abort', cancel);
    await close();
    await proxy.close();
  }
};
