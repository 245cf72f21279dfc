// Worker-thread side of the Code node sandbox, started by sandbox.ts. Runs one job at a time, each in a QuickJS
// runtime of its own, disposed after the job, so a run that hit a limit leaves nothing behind; QuickJS enforces the
// memory, time and stack limits here, and the host terminates the thread if it overruns them anyway.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import {
  RELEASE_SYNC,
  newQuickJSWASMModule,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSWASMModule,
} from 'quickjs-emscripten';
import { NodeError } from '../errors';
import {
  MAX_CONSOLE_LINES,
  MAX_CONSOLE_LINE_LENGTH,
  codeError,
  memoryLimitError,
  resultLimitError,
  stackLimitError,
  timeLimitError,
  type SandboxJob,
  type ThreadMessage,
} from './sandbox-protocol';

/** QuickJS's own stack limit; below V8's, so deep recursion ends as a JS error instead of a host RangeError. */
const MAX_STACK_BYTES = 256 * 1024;
const FILE = 'code.js';

/** Runs before the user's code, on line 1, so the user's line N is line N + 1 in QuickJS. */
const PRELUDE =
  `const __log = globalThis.__batonLog; delete globalThis.__batonLog;` +
  `const __fmt = (a) => a.map((x) => { if (typeof x === 'string') return x; try { return JSON.stringify(x); } catch { return String(x); } }).join(' ').slice(0, ${MAX_CONSOLE_LINE_LENGTH});` +
  `globalThis.console = { log: (...a) => __log(__fmt(a)), info: (...a) => __log(__fmt(a)), warn: (...a) => __log(__fmt(a)), error: (...a) => __log(__fmt(a)) };` +
  `const input = JSON.parse(globalThis.__batonInput); delete globalThis.__batonInput;` +
  `const items = Array.isArray(input) ? input : [input];` +
  `const __result = (function (items, input) {\n`;
const POSTLUDE = `\n})(items, input); __result === undefined ? undefined : JSON.stringify(__result);`;

function userLine(error: { lineNumber?: number; stack?: string }): number | undefined {
  const line = error.lineNumber ?? Number(/code\.js:(\d+)/.exec(error.stack ?? '')?.[1]);
  return Number.isFinite(line) && line >= 2 ? line - 1 : undefined;
}

function describeError(vm: QuickJSContext, handle: QuickJSHandle, job: SandboxJob, deadline: number): NodeError {
  let dumped: { name?: string; message?: string; lineNumber?: number; stack?: string } | undefined;
  try {
    const value = vm.dump(handle);
    dumped = value && typeof value === 'object' ? value : { message: String(value) };
  } catch {
    dumped = undefined; // no memory left even to describe the error
  }
  if (!dumped || dumped.message === 'out of memory') return memoryLimitError(job.memoryBytes);
  if (dumped.name === 'InternalError' && dumped.message === 'interrupted' && Date.now() >= deadline) {
    return timeLimitError(job.timeoutMs);
  }
  if (dumped.name === 'InternalError' && dumped.message === 'stack overflow') return stackLimitError();
  const line = userLine(dumped);
  const kind = dumped.name === 'SyntaxError' ? 'syntax error' : 'error';
  return codeError(
    `Code node ${kind}${line ? ` at line ${line}` : ''}: ${dumped.name ?? 'Error'}: ${dumped.message ?? ''}`,
  );
}

/**
 * The QuickJS WebAssembly code, compiled once per thread. Compiling it is what a fresh module used to cost (about
 * 35 ms of CPU an execution); each job still instantiates it anew, with memory of its own, so nothing a job
 * leaves behind reaches the next one.
 */
let compiled: Promise<WebAssembly.Module> | undefined;
const variant = newVariant(RELEASE_SYNC, {
  wasmModule: () =>
    (compiled ??= WebAssembly.compile(
      readFileSync(createRequire(__filename).resolve('@jitl/quickjs-wasmfile-release-sync/wasm')),
    )),
});

/**
 * The module jobs run in: each job gets a runtime of its own (QuickJS's unit of isolation: its own heap, memory
 * limit and interrupt handler). The module is replaced after a job that broke the engine itself, and after one
 * allowed more memory than the default: WebAssembly memory never shrinks, and an idle thread should not hold it.
 */
let current: Promise<QuickJSWASMModule> | undefined;
const KEPT_MODULE_MAX_BYTES = 64 * 1024 * 1024;

/** Evaluates the job and returns its result as JSON text. Throws NodeError with code `code-limit` or `code-error`. */
async function evaluate(job: SandboxJob, post: (message: ThreadMessage) => void): Promise<string> {
  const module = await (current ??= newQuickJSWASMModule(variant));
  const runtime = module.newRuntime();
  const deadline = Date.now() + job.timeoutMs;
  post({ kind: 'started' });
  let vm: QuickJSContext | undefined;
  let healthy = true;
  try {
    runtime.setMemoryLimit(job.memoryBytes);
    runtime.setMaxStackSize(MAX_STACK_BYTES);
    runtime.setInterruptHandler(() => Date.now() >= deadline);
    vm = runtime.newContext();
    let lines = 0;
    vm.newFunction('__batonLog', (line) => {
      if (lines++ < MAX_CONSOLE_LINES) {
        post({ kind: 'console', line: vm!.getString(line).slice(0, MAX_CONSOLE_LINE_LENGTH) });
      }
    }).consume((fn) => vm!.setProp(vm!.global, '__batonLog', fn));
    vm.newString(job.inputJson).consume((s) => vm!.setProp(vm!.global, '__batonInput', s));

    const result = vm.evalCode(PRELUDE + job.code + POSTLUDE, FILE);
    if (result.error) {
      const error = describeError(vm, result.error, job, deadline);
      result.error.dispose();
      throw error;
    }
    const json = result.value.consume((v) => {
      if (vm!.typeof(v) !== 'string') return undefined;
      // Measured inside QuickJS, so an oversized result is never copied out of it.
      const chars = vm!.getProp(v, 'length').consume((n) => vm!.getNumber(n));
      if (chars > job.maxResultChars) throw resultLimitError(chars, job.maxResultChars);
      return vm!.getString(v);
    });
    if (typeof json !== 'string') {
      throw codeError(
        'Code node returned no value; end the code with `return` and a JSON value (e.g. `return items;`)',
      );
    }
    // Copying the result out of QuickJS needs memory of its own; when that fails the copy comes back empty.
    if (json === '') throw memoryLimitError(job.memoryBytes);
    return json;
  } catch (err) {
    if (err instanceof NodeError) throw err;
    // The WASM engine itself failed (e.g. the thread's stack overflowed): its module is unusable, drop it unfreed.
    healthy = false;
    current = undefined;
    if (err instanceof RangeError) throw stackLimitError();
    throw codeError(`Code node sandbox failed: ${(err as Error).message}`);
  } finally {
    if (job.memoryBytes > KEPT_MODULE_MAX_BYTES) current = undefined;
    if (healthy) {
      try {
        vm?.dispose();
        runtime.dispose();
      } catch {
        // A runtime stopped mid-allocation can fail to free cleanly; the module is garbage either way.
      }
    }
  }
}

const port = parentPort;
if (!port)
  throw new Error('nodes/code/sandbox-thread.ts is a worker thread entry; call runInSandbox (sandbox.ts) instead');
const post = (message: ThreadMessage) => port.postMessage(message);

port.on('message', (job: SandboxJob) => {
  evaluate(job, post).then(
    (json) => post({ kind: 'returned', json }),
    (err: unknown) => {
      const error = err instanceof NodeError ? err : codeError(`Code node sandbox failed: ${(err as Error).message}`);
      post({ kind: 'failed', code: error.code, message: error.message });
    },
  );
});
