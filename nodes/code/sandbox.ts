// Runs user JavaScript in QuickJS compiled to WebAssembly: no access to Node, the network or the filesystem.
// Each execution gets its own WASM module and runtime, so a run that hit a limit leaves nothing behind.
// Note: QuickJS runs synchronously, so the host's event loop is busy for up to `timeoutMs`.
import { RELEASE_SYNC, newQuickJSWASMModule, type QuickJSContext, type QuickJSHandle } from 'quickjs-emscripten';
import { NodeError } from '../errors';

export interface SandboxOptions {
  /** Function body: `items` (input as an array) and `input` are in scope; it must `return` a JSON value. */
  code: string;
  input: unknown;
  timeoutMs: number;
  memoryBytes: number;
  /** Receives each `console.*` line (already truncated), at most MAX_CONSOLE_LINES times. */
  onConsole?: (line: string) => void;
}

export const MAX_CONSOLE_LINES = 100;
export const MAX_CONSOLE_LINE_LENGTH = 2000;
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

export const limitError = (message: string) => new NodeError(message, { code: 'code-limit', retryable: false });

function userLine(error: { lineNumber?: number; stack?: string }): number | undefined {
  const line = error.lineNumber ?? Number(/code\.js:(\d+)/.exec(error.stack ?? '')?.[1]);
  return Number.isFinite(line) && line >= 2 ? line - 1 : undefined;
}

function describeError(vm: QuickJSContext, handle: QuickJSHandle, opts: SandboxOptions, deadline: number): NodeError {
  let dumped: { name?: string; message?: string; lineNumber?: number; stack?: string } | undefined;
  try {
    const value = vm.dump(handle);
    dumped = value && typeof value === 'object' ? value : { message: String(value) };
  } catch {
    dumped = undefined; // no memory left even to describe the error
  }
  const mb = Math.round(opts.memoryBytes / (1024 * 1024));
  if (!dumped || dumped.message === 'out of memory') return limitError(`Code node exceeded its ${mb} MB memory limit`);
  if (dumped.name === 'InternalError' && dumped.message === 'interrupted' && Date.now() >= deadline) {
    return limitError(`Code node exceeded its ${opts.timeoutMs} ms time limit`);
  }
  if (dumped.name === 'InternalError' && dumped.message === 'stack overflow') {
    return limitError('Code node exceeded its stack depth limit (too much recursion)');
  }
  const line = userLine(dumped);
  const kind = dumped.name === 'SyntaxError' ? 'syntax error' : 'error';
  return new NodeError(
    `Code node ${kind}${line ? ` at line ${line}` : ''}: ${dumped.name ?? 'Error'}: ${dumped.message ?? ''}`,
    {
      code: 'code-error',
      retryable: false,
    },
  );
}

/** Executes `code` and returns its JSON result. Throws NodeError with code `code-limit` or `code-error`. */
export async function runInSandbox(opts: SandboxOptions): Promise<unknown> {
  const module = await newQuickJSWASMModule(RELEASE_SYNC);
  const runtime = module.newRuntime();
  const deadline = Date.now() + opts.timeoutMs;
  let vm: QuickJSContext | undefined;
  let healthy = true;
  try {
    runtime.setMemoryLimit(opts.memoryBytes);
    runtime.setMaxStackSize(MAX_STACK_BYTES);
    runtime.setInterruptHandler(() => Date.now() >= deadline);
    vm = runtime.newContext();
    let lines = 0;
    vm.newFunction('__batonLog', (line) => {
      if (lines++ < MAX_CONSOLE_LINES) opts.onConsole?.(vm!.getString(line).slice(0, MAX_CONSOLE_LINE_LENGTH));
    }).consume((fn) => vm!.setProp(vm!.global, '__batonLog', fn));
    vm.newString(JSON.stringify(opts.input ?? null)).consume((s) => vm!.setProp(vm!.global, '__batonInput', s));

    const result = vm.evalCode(PRELUDE + opts.code + POSTLUDE, FILE);
    if (result.error) {
      const error = describeError(vm, result.error, opts, deadline);
      result.error.dispose();
      throw error;
    }
    const json = result.value.consume((v) => vm!.dump(v));
    if (typeof json !== 'string') {
      throw new NodeError(
        'Code node returned no value; end the code with `return` and a JSON value (e.g. `return items;`)',
        {
          code: 'code-error',
          retryable: false,
        },
      );
    }
    return JSON.parse(json);
  } catch (err) {
    if (err instanceof NodeError) throw err;
    // The WASM engine itself failed (e.g. the host stack overflowed): its module is unusable, drop it unfreed.
    healthy = false;
    if (err instanceof RangeError) throw limitError('Code node exceeded its stack depth limit (too much recursion)');
    throw new NodeError(`Code node sandbox failed: ${(err as Error).message}`, {
      code: 'code-error',
      retryable: false,
    });
  } finally {
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
