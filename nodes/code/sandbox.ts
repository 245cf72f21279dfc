// Runs user JavaScript in QuickJS compiled to WebAssembly: no access to Node, the network or the filesystem.
// QuickJS runs synchronously, so each execution gets a worker thread (sandbox-thread.ts): the host's event loop
// stays free to heartbeat and run other activities, and a thread that overruns its limits is terminated.
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { NodeError } from '../errors';
import { codeMemoryBudget, MemoryBudget, megabytesFromEnv } from './memory-budget';
import { codeError, memoryLimitError, timeLimitError, type SandboxJob, type ThreadMessage } from './sandbox-protocol';

export { MAX_CONSOLE_LINES, MAX_CONSOLE_LINE_LENGTH, limitError } from './sandbox-protocol';

export interface SandboxOptions {
  /** Function body: `items` (input as an array) and `input` are in scope; it must `return` a JSON value. */
  code: string;
  input: unknown;
  timeoutMs: number;
  memoryBytes: number;
  /** Receives each `console.*` line (already truncated), at most MAX_CONSOLE_LINES times. */
  onConsole?: (line: string) => void;
  /** Aborting (activity cancellation) terminates the thread; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Longest result, in characters of JSON; BATON_CODE_MAX_RESULT_MB (default 16) when left out. */
  maxResultChars?: number;
  /** Where the execution reserves `memoryBytes` before it starts; the worker process's budget when left out. */
  memory?: MemoryBudget;
}

export const DEFAULT_MAX_RESULT_MB = 16;

/** How long past its time limit a thread may stay silent before the host terminates it. */
export const BACKSTOP_GRACE_MS = 1000;
/**
 * Finished threads kept warm for the next execution: starting one (tsx, QuickJS) costs 100–300 ms of CPU, so
 * under concurrent load the pool must cover the usual concurrency (BATON_CODE_IDLE_THREADS, default 8).
 */
const MAX_IDLE_THREADS = idleThreadLimit(process.env.BATON_CODE_IDLE_THREADS);
/**
 * Executions running at once (BATON_CODE_CONCURRENCY, default: the machine's cores, at least 2). QuickJS only
 * computes, so threads beyond the cores add no throughput but cost CPU: on 2 cores, 8 executions at once cost
 * 2.1 ms of CPU each against 1.0 ms with 2 at once (a Code node summing 21 fields, under load). Past this,
 * executions wait their turn (first come, first served); the wait does not count against their time limit.
 * Never more than the warm pool keeps, so no thread is started and thrown away under load.
 */
const threadSlots = new MemoryBudget(
  Math.max(1, Math.min(Math.max(MAX_IDLE_THREADS, 2), concurrencyLimit(process.env.BATON_CODE_CONCURRENCY))),
);
const IDLE_THREAD_TTL_MS = 30_000;

const MB = 1024 * 1024;

function concurrencyLimit(raw: string | undefined): number {
  if (raw === undefined || raw === '') return Math.max(2, availableParallelism());
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`BATON_CODE_CONCURRENCY must be a whole number of at least 1, not "${raw}".`);
  return n;
}

function idleThreadLimit(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 8;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`BATON_CODE_IDLE_THREADS must be a whole number, not "${raw}".`);
  return n;
}
const THREAD_ENTRY = fileURLToPath(new URL('./sandbox-thread.ts', import.meta.url));
// Node 20 applies no ESM loader hooks (`--import tsx`) to a worker's modules, so the thread registers tsx's
// CommonJS hook itself and requires the TypeScript entry. Absolute paths: independent of cwd and of jest.
const TSX_CJS_API = createRequire(import.meta.url).resolve('tsx/cjs/api');
const BOOTSTRAP = `require(${JSON.stringify(TSX_CJS_API)}).register(); require(${JSON.stringify(THREAD_ENTRY)});`;

/**
 * Caps the thread's V8 heap, which holds the input and the result as JSON text: each at most `memoryBytes`
 * characters (QuickJS must hold them too), at up to 2 bytes a character. The cap stays well above that
 * because a single large allocation crossing it aborts the whole process, not just the thread (nodejs/node#47224).
 */
const threadHeapMb = (memoryBytes: number) => 4 * Math.ceil(memoryBytes / MB) + 128;

interface IdleThread {
  worker: Worker;
  heapMb: number;
  expiry: NodeJS.Timeout;
  onExit: () => void;
}
const idle: IdleThread[] = [];

function takeThread(heapMb: number): Worker {
  const i = idle.findIndex((t) => t.heapMb === heapMb);
  if (i < 0) {
    return new Worker(BOOTSTRAP, { eval: true, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: heapMb } });
  }
  const [thread] = idle.splice(i, 1);
  clearTimeout(thread.expiry);
  thread.worker.off('exit', thread.onExit);
  thread.worker.ref();
  return thread.worker;
}

function keepThread(worker: Worker, heapMb: number): void {
  if (idle.length >= MAX_IDLE_THREADS) {
    void worker.terminate();
    return;
  }
  const thread: IdleThread = {
    worker,
    heapMb,
    expiry: setTimeout(() => {
      dropIdle(thread);
      void worker.terminate();
    }, IDLE_THREAD_TTL_MS).unref(),
    onExit: () => dropIdle(thread),
  };
  worker.unref(); // an idle thread never keeps the process alive
  worker.once('exit', thread.onExit);
  idle.push(thread);
}

function dropIdle(thread: IdleThread): void {
  clearTimeout(thread.expiry);
  const i = idle.indexOf(thread);
  if (i >= 0) idle.splice(i, 1);
}

/**
 * Executes `code` and returns its JSON result. Throws NodeError with code `code-limit` or `code-error`.
 * Waits first, if need be, until the memory budget has room for this execution.
 */
export async function runInSandbox(opts: SandboxOptions): Promise<unknown> {
  const { signal } = opts;
  const maxResultChars =
    opts.maxResultChars ?? megabytesFromEnv('BATON_CODE_MAX_RESULT_MB', DEFAULT_MAX_RESULT_MB) * MB;
  // Reserved before the input is copied to JSON, so executions waiting in the queue hold no extra copy of it.
  const release = await (opts.memory ?? codeMemoryBudget()).reserve(Math.ceil(opts.memoryBytes / MB), signal);
  try {
    signal?.throwIfAborted(); // cancelled while waiting for memory, just as the memory came free
    const inputJson = JSON.stringify(opts.input ?? null);
    // QuickJS stores at least a byte per character; a larger input could only fail inside the thread, at its cost.
    if (inputJson.length > opts.memoryBytes) throw memoryLimitError(opts.memoryBytes);
    const job: SandboxJob = {
      code: opts.code,
      inputJson,
      timeoutMs: opts.timeoutMs,
      memoryBytes: opts.memoryBytes,
      maxResultChars,
    };
    const releaseThread = await threadSlots.reserve(1, signal);
    try {
      return await execute(job, opts);
    } finally {
      releaseThread();
    }
  } finally {
    release();
  }
}

/**
 * Runs `job` on a sandbox thread. The result arrives as JSON text, at most `maxResultChars` long, and is parsed
 * here: an object parsed on the thread would reach this thread through structured-clone deserialization, which
 * costs this event loop more than JSON.parse of the text (183 vs 129 ms for 16 MB of records, measured).
 */
function execute(job: SandboxJob, opts: SandboxOptions): Promise<unknown> {
  const { signal } = opts;
  const heapMb = threadHeapMb(opts.memoryBytes);
  const worker = takeThread(heapMb);

  return new Promise((resolve, reject) => {
    let backstop: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (outcome: { value: unknown } | { error: unknown }, threadReusable: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(backstop);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
      if (threadReusable) keepThread(worker, heapMb);
      else void worker.terminate();
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.value);
    };

    const onMessage = (message: ThreadMessage) => {
      if (message.kind === 'started') {
        // QuickJS checks its deadline only between operations; a native call (e.g. a regex) can run far past it.
        const overrun = () => settle({ error: timeLimitError(opts.timeoutMs) }, false);
        backstop = setTimeout(overrun, opts.timeoutMs + BACKSTOP_GRACE_MS);
      } else if (message.kind === 'console') {
        opts.onConsole?.(message.line);
      } else if (message.kind === 'returned') {
        let value: unknown;
        try {
          value = JSON.parse(message.json);
        } catch (err) {
          settle({ error: codeError(`Code node sandbox failed: ${(err as Error).message}`) }, true);
          return;
        }
        settle({ value }, true);
      } else {
        // After a limit the thread may hold a large dead QuickJS heap until its next GC: start afresh instead.
        const error = new NodeError(message.message, { code: message.code, retryable: false });
        settle({ error }, message.code !== 'code-limit');
      }
    };
    const onError = (err: Error & { code?: string }) => {
      const error =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? memoryLimitError(opts.memoryBytes)
          : codeError(`Code node sandbox failed: ${err.message}`);
      settle({ error }, false);
    };
    const onExit = (exitCode: number) =>
      settle({ error: codeError(`Code node sandbox failed: its thread exited with code ${exitCode}`) }, false);
    const onAbort = () => settle({ error: signal!.reason }, false);

    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.postMessage(job);
  });
}
