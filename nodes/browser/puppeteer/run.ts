// Runs a Browser node's steps with Puppeteer (the node's Engine param): the same guard proxy, step list, step records,
// errors (`Step N (action target): …`) and output as the Playwright runner (../run.ts), on the worker's pooled
// Puppeteer browser (pool.ts). The context is closed whatever happens, cancellation included. The runner's small
// helpers (store, deadline, step error) are kept here rather than exported from ../run.ts, which another engine owns.
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
import { DEFAULT_STEP_TIMEOUT_MS, type BrowserStep, type spec } from '../spec';
import { openContext, openPage, reasonOf } from './context';
import { STEP_GRACE_MS, store, withDeadline } from '../step-helpers';
import { runStep } from './steps';

type Params = Parameters<NodeRunner<typeof spec.params>>[1];

const EXTRACTIONS = new Set([
  'extractText',
  'extractAttribute',
  'extractTable',
  'extractMany',
  'screenshot',
  'pdf',
  'evaluate',
]);
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

async function runSteps(
  ctx: RunContext,
  params: Params,
  context: BrowserContext,
  refusals: string[],
  login: LoginValues | undefined,
) {
  const timeout = params.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const page = await openPage(ctx, params, context);
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
      const filled = login ? { ...step, value: login.fill(step.value) } : step;
      let result = await withDeadline(
        runStep({ page, files: ctx.files, index }, filled, timeout),
        timeout + STEP_GRACE_MS,
      );
      if (refusals.length > 0) throw new Error(`request blocked: ${refusals[0]}`);
      if (step.action === 'screenshot') {
        if (!ctx.files) throw new Error('screenshots cannot be stored here (no file store)');
        result = record.screenshot = await ctx.files.save({
          name: `step-${index}.png`,
          mimeType: 'image/png',
          data: result as Buffer,
        });
      }
      if (EXTRACTIONS.has(step.action)) store(data, (record.extracted = step.name || `step${index}`), result);
      record.url = scrubUrlSecrets(page.url());
      record.durationMs = Math.round(performance.now() - started);
      if (params.screenshots === 'every' && !record.screenshot)
        record.screenshot = await screenshot(ctx, page, `step-${index}.png`);
      steps.push(record);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      const crashed = refusals.length === 0 && (await browserGone(context.browser(), err));
      const cause = refusals.length > 0 ? `request blocked: ${refusals[0]}` : reasonOf(err);
      const reason = login ? login.scrub(cause) : cause;
      const shot =
        params.screenshots !== 'none' && !crashed
          ? await screenshot(ctx, page, `step-${index}-failure.png`)
          : undefined;
      ctx.log.warn('Browser step failed', { step: index, action: step.action, screenshot: shot?.$batonFile });
      const message = stepMessage(index, step, target, scrubUrlSecrets(reason), crashed);
      // The failed step joins the records as the run page's evidence, as on the Playwright engine.
      const url = crashed ? record.url : scrubUrlSecrets(page.url());
      const failed: StepRecord = { ...record, url, ok: false, error: message, ...(shot && { screenshot: shot }) };
      const details = { steps: [...steps, failed], url };
      throw crashed
        ? new NodeError(message, { code: 'browser-crashed', details })
        : new NodeError(message, { code: 'browser-step', retryable: false, details });
    }
  }
  return { data, steps, url: scrubUrlSecrets(page.url()), title: await page.title() };
}

/** What the Playwright engine has that this one has not yet: refused up front rather than silently skipped. */
function refuseUnsupported(params: Params): void {
  const unsupported = [params.session ? 'Session' : '', params.askHuman ? 'Ask a person when a step fails' : '']
    .filter(Boolean)
    .join(' and ');
  if (unsupported) {
    throw new NodeError(`Browser: ${unsupported} work with the Playwright engine only; choose it under Engine`, {
      code: 'browser-options',
      retryable: false,
    });
  }
}

export const runWithPuppeteer = async (ctx: RunContext, params: Params) => {
  refuseUnsupported(params);
  // Before the browser starts: a token with no credential fails at once, naming its step.
  const login = await openLogin(ctx, params.credential, params.steps);
  const refusals: string[] = [];
  const domains = parseAllowedDomains(params.allowedDomains);
  const proxy = await startGuardProxy(domains, parseAllowList(process.env[ALLOW_HOSTS_ENV]), (reason) =>
    refusals.push(reason),
  );
  let context: BrowserContext | undefined;
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= context?.close().catch(() => undefined));
  // Cancellation closes the context, which makes whatever Puppeteer call is pending throw.
  const cancel = () => void close();
  ctx.signal.addEventListener('abort', cancel, { once: true });
  try {
    context = await openContext(proxy);
    return await runSteps(ctx, params, context, refusals, login);
  } catch (err) {
    if (err instanceof NodeError || ctx.signal.aborted || context?.browser().connected) throw err;
    throw new NodeError(`Browser: the browser crashed or was closed before the steps began (${reasonOf(err)})`, {
      code: 'browser-crashed',
    });
  } finally {
    ctx.signal.removeEventListener('abort', cancel);
    await close();
    await proxy.close();
  }
};
