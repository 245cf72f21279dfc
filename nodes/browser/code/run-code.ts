// The worker's side of the Browser node's code mode: takes a child process for the script (child.ts), performs
// its page calls on the execution's real pages (page-calls.ts), and kills the child when the script ends, overruns
// its time limit or the run is cancelled. User code never runs in the worker's process, and a child that crashes
// or runs out of heap fails only its own node. One child is kept forked ahead (warm-child.ts), so a run does not wait
// for Node and QuickJS to start; each child still serves one script only.
import type { ChildProcess } from 'node:child_process';
import type { BrowserContext } from 'playwright-core';
import type { FileRef } from '../../../contracts/file-ref';
import { scrubUrlSecrets } from '../../../contracts/redaction';
import type { RunContext } from '../../define';
import { NodeError } from '../../errors';
import { startTrace } from '../trace';
import { playwrightReason as reasonOf } from '../step-helpers';
import { DEFAULT_STEP_TIMEOUT_MS } from '../spec';
import { performCall, type PageCallScope } from './page-calls';
import { PageIds } from './page-ids';
import { openScriptLogin, typedWithoutLogin, type ScriptLogin } from './script-login';
import { retireChild, takeChild } from './warm-child';
import {
  CODE_MEMORY_BYTES,
  DEFAULT_CODE_TIMEOUT_MS,
  MAX_RESULT_CHARS,
  codeError,
  timeLimitError,
  type CallAnswer,
  type ChildMessage,
  type CodeJob,
} from './protocol';

export interface BrowserCodeParams {
  code?: string;
  codeTimeoutMs?: number;
  stepTimeoutMs?: number;
  screenshots?: 'failure' | 'every' | 'none';
  trace?: 'failure' | 'never';
  /** A Website login (script-login.ts). */
  credential?: string;
}

const MB = 1024 * 1024;
/** The input QuickJS must hold twice (its text and its value), within the script's memory. */
const MAX_INPUT_CHARS = CODE_MEMORY_BYTES / 4;
/** How long the child may take to load QuickJS before the script's time limit starts. */
const START_LIMIT_MS = 30_000;
/** How long past its time limit a child may stay silent (a native call QuickJS cannot interrupt) before it is killed. */
const BACKSTOP_GRACE_MS = 500;
/** How long past the step timeout a page call may hang (a call Playwright cannot time out) before it is abandoned. */
const CALL_GRACE_MS = 2_000;

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the call did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

type CallScope = Omit<PageCallScope, 'page'>;

/**
 * Answers a page call; the answer is JSON text ('' for undefined) or the reason it failed, without secrets in URLs
 * and without the login's secrets (a script that reads a filled password back gets `[secret]`).
 */
async function answer(scope: CallScope, refusals: string[], login: ScriptLogin | undefined, call: ChildCall) {
  const { id, method, args, page } = call;
  refusals.length = 0;
  try {
    const value = await withDeadline(performCall(scope, method, args, page), scope.timeout + CALL_GRACE_MS);
    if (refusals.length > 0) throw new Error(`request blocked: ${refusals[0]}`);
    const json = value === undefined ? '' : JSON.stringify(login ? login.scrub(value) : value);
    if (json.length > MAX_RESULT_CHARS) throw new Error(`its result is over ${MAX_RESULT_CHARS / (1024 * 1024)} MB`);
    return { kind: 'answer', id, json } satisfies CallAnswer;
  } catch (err) {
    const cause = refusals.length > 0 ? `request blocked: ${refusals[0]}` : reasonOf(err);
    return { kind: 'answer', id, error: scrubUrlSecrets(login ? login.scrubText(cause) : cause) } satisfies CallAnswer;
  }
}

type ChildCall = Extract<ChildMessage, { kind: 'call' }>;

/** Runs the script to its end and returns its value (JSON), or throws a NodeError naming the line or the limit. */
function execute(
  ctx: RunContext,
  child: ChildProcess,
  job: CodeJob,
  scope: CallScope,
  refusals: string[],
  login: ScriptLogin | undefined,
) {
  const clean = (text: string) => (login ? login.scrubText(text) : text);
  const lines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
  let cleanup = () => undefined as void;
  const result = new Promise<unknown>((resolve, reject) => {
    let calls = 0;
    let limit = setTimeout(() => reject(codeError('Browser code: its sandbox did not start')), START_LIMIT_MS);
    const onMessage = (message: ChildMessage) => {
      if (message.kind === 'started') {
        clearTimeout(limit);
        limit = setTimeout(() => reject(timeLimitError(job.timeoutMs)), job.timeoutMs + BACKSTOP_GRACE_MS);
      } else if (message.kind === 'console') lines.push(clean(message.line));
      else if (message.kind === 'call') {
        ctx.heartbeat({ call: ++calls });
        void answer(scope, refusals, login, message).then((reply) => {
          if (child.connected) child.send(reply);
        });
      } else if (message.kind === 'returned') {
        const value: unknown = message.json === '' ? null : JSON.parse(message.json);
        resolve(login ? login.scrub(value) : value);
      } else reject(new NodeError(clean(message.message), { code: message.code, retryable: false }));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
      const oom = /heap out of memory/i.test(stderr) ? '; it ran out of memory' : '';
      reject(codeError(`Browser code: the script's process ${how}${oom}`));
    };
    const onError = (err: Error) => reject(codeError(`Browser code: its process failed (${err.message})`));
    const onAbort = () => reject(ctx.signal.reason);
    child.on('message', onMessage).on('error', onError).once('exit', onExit);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    cleanup = () => {
      clearTimeout(limit);
      child.off('message', onMessage).off('exit', onExit);
      ctx.signal.removeEventListener('abort', onAbort);
    };
  });
  result.then(cleanup, cleanup);
  return { result, lines };
}

async function failureShot(ctx: RunContext, page: PageCallScope['page']): Promise<FileRef | undefined> {
  if (!ctx.files) return undefined;
  const data = await page.screenshot({ timeout: 5_000 }).catch(() => undefined);
  return data && ctx.files.save({ name: 'code-failure.png', mimeType: 'image/png', data });
}

/**
 * Runs the Browser node's script against a new page of `context`. `refusals` is filled by the execution's guard
 * proxy; a call during which a request was refused fails with the refused host, as a step does.
 */
export async function runBrowserCode(
  ctx: RunContext,
  params: BrowserCodeParams,
  context: BrowserContext,
  refusals: string[],
  input: unknown,
): Promise<{ data: unknown; url: string; title: string }> {
  const code = params.code ?? '';
  const inputJson = JSON.stringify(input ?? null);
  // QuickJS holds the text and the parsed value, each at least a byte a character.
  if (inputJson.length > MAX_INPUT_CHARS) {
    throw codeError(
      `Browser code: the node's input is ${(inputJson.length / MB).toFixed(1)} MB of JSON; a script takes at most ` +
        `${MAX_INPUT_CHARS / MB} MB. Pass less data to the node`,
    );
  }
  if (code.trim() === '') throw codeError('Browser: the Script field is empty; write a script or switch Mode to Steps');
  const timeout = params.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const login = await openScriptLogin(ctx, params.credential);
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.setDefaultNavigationTimeout(timeout);
  const scope: CallScope = {
    context,
    timeout,
    files: ctx.files,
    shots: { count: 0 },
    pages: new PageIds(page),
    typed: login ? login.typed : typedWithoutLogin,
  };
  const job: CodeJob = {
    kind: 'run',
    code,
    inputJson,
    timeoutMs: params.codeTimeoutMs ?? DEFAULT_CODE_TIMEOUT_MS,
    memoryBytes: CODE_MEMORY_BYTES,
    ...(login && { credential: login.forScript }),
  };
  ctx.signal.throwIfAborted();
  // A trace holds what was typed: none is kept for a script that has the login.
  const trace = await startTrace(context, params.trace, login !== undefined);
  const started = performance.now();
  const child = takeChild();
  ctx.log.info('Browser code process started', { pid: child.pid });
  const { result, lines } = execute(ctx, child, job, scope, refusals, login);
  try {
    child.send(job);
    const data = await result;
    await trace.drop();
    return { data, url: scrubUrlSecrets(page.url()), title: await page.title() };
  } catch (err) {
    if (ctx.signal.aborted || !(err instanceof NodeError) || err.code !== 'browser-code') throw err;
    const shot = params.screenshots === 'none' ? undefined : await failureShot(ctx, page);
    ctx.log.warn('Browser code failed', { screenshot: shot?.$batonFile });
    // The same evidence a failed step leaves (the run page's filmstrip): the script as one step, the page, the trace.
    const url = scrubUrlSecrets(page.url());
    const failed = {
      index: 1,
      action: 'code',
      target: 'Script',
      url,
      durationMs: Math.round(performance.now() - started),
      ok: false,
      error: err.message,
      ...(shot && { screenshot: shot }),
    };
    const evidence = await trace.keep(ctx.files);
    throw new NodeError(err.message, {
      code: err.code,
      retryable: err.retryable,
      details: { steps: [failed], url, ...evidence },
    });
  } finally {
    await retireChild(child);
    if (lines.length > 0) ctx.log.info('Browser code console output', { lines });
  }
}
