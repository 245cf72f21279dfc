// The child process of the Browser node's code mode, forked by run-code.ts for one script and killed after it. It
// may be forked ahead of its script (a warm child, run-code.ts): QuickJS is loaded at start, and the process exits
// when the worker goes (its IPC channel closes), so a child is never left behind.
// The script runs in QuickJS (no Node, network or filesystem inside); `page.*` calls travel to the worker over IPC
// and come back as promises settled here. QuickJS enforces the memory limit and, while the script computes, the
// time limit; the worker enforces the time limit while the script waits, by killing this process.
import {
  newQuickJSWASMModule,
  type QuickJSContext,
  type QuickJSDeferredPromise,
  type QuickJSHandle,
} from 'quickjs-emscripten';
import { NodeError } from '../../errors';
import { BRIDGE_FILE, BRIDGE_SCRIPT, SCRIPT_FILE, wrapScript } from './bridge-script';
import {
  MAX_CONSOLE_LINES,
  MAX_CONSOLE_LINE_LENGTH,
  MAX_RESULT_CHARS,
  codeError,
  memoryLimitError,
  resultLimitError,
  timeLimitError,
  type CallAnswer,
  type ChildMessage,
  type CodeJob,
} from './protocol';

/** Below V8's stack, so deep recursion ends as a script error rather than a crash of this process. */
const MAX_STACK_BYTES = 256 * 1024;
const MAX_ARGS_CHARS = 1024 * 1024;

const send = (message: ChildMessage) => process.send?.(message);

interface Dumped {
  name?: string;
  message?: string;
  lineNumber?: number;
  fileName?: string;
  stack?: string;
}

const SCRIPT_FRAME = new RegExp(`${SCRIPT_FILE.replace('.', '\\.')}:(\\d+)`);

/** The script's line an error points at: the innermost frame in code.js (bridge.js frames are skipped). */
function scriptLine(error: Dumped, lines: number): number | undefined {
  const inScript = (line: number | undefined) =>
    line !== undefined && Number.isFinite(line) && line >= 1 && line <= lines;
  const own = error.fileName === undefined || error.fileName === SCRIPT_FILE ? error.lineNumber : undefined;
  const framed = Number(SCRIPT_FRAME.exec(error.stack ?? '')?.[1]);
  return inScript(own) ? own : inScript(framed) ? framed : undefined;
}

function describe(vm: QuickJSContext, handle: QuickJSHandle, job: CodeJob, deadline: number): NodeError {
  let dumped: Dumped | undefined;
  try {
    const value: unknown = vm.dump(handle);
    dumped = value && typeof value === 'object' ? (value as Dumped) : { message: String(value) };
  } catch {
    dumped = undefined; // no memory left even to describe the error
  }
  if (!dumped || dumped.message === 'out of memory') return memoryLimitError(job.memoryBytes);
  if (dumped.name === 'InternalError' && dumped.message === 'interrupted' && Date.now() >= deadline) {
    return timeLimitError(job.timeoutMs);
  }
  if (dumped.name === 'InternalError' && dumped.message === 'stack overflow') {
    return codeError('Browser code exceeded its stack depth limit (too much recursion)');
  }
  const line = scriptLine(dumped, job.code.split('\n').length);
  const what = dumped.name === 'PageCallError' || !dumped.name ? '' : `${dumped.name}: `;
  const kind = dumped.name === 'SyntaxError' ? 'syntax error' : '';
  return codeError(`Code${line ? ` line ${line}` : ''}${kind ? ` ${kind}` : ''}: ${what}${dumped.message ?? ''}`);
}

// Loaded before the job comes, so a warm child has it ready.
const quickjs = newQuickJSWASMModule();
quickjs.catch(() => undefined); // a failure to load is the job's to report, when one comes

async function run(job: CodeJob): Promise<string> {
  const module = await quickjs;
  const runtime = module.newRuntime();
  runtime.setMemoryLimit(job.memoryBytes);
  runtime.setMaxStackSize(MAX_STACK_BYTES);
  const deadline = Date.now() + job.timeoutMs;
  runtime.setInterruptHandler(() => Date.now() >= deadline);
  const vm = runtime.newContext();
  const pending = new Map<number, QuickJSDeferredPromise>();
  let nextId = 1;
  let lines = 0;
  let failure: NodeError | undefined;

  vm.newFunction('__batonLog', (line) => {
    if (lines++ < MAX_CONSOLE_LINES)
      send({ kind: 'console', line: vm.getString(line).slice(0, MAX_CONSOLE_LINE_LENGTH) });
  }).consume((fn) => vm.setProp(vm.global, '__batonLog', fn));
  vm.newFunction('__batonCall', (method, argsJson, pageId) => {
    const deferred = vm.newPromise();
    const id = nextId++;
    const json = vm.getString(argsJson);
    if (json.length > MAX_ARGS_CHARS) {
      vm.newString(`its arguments are over ${MAX_ARGS_CHARS / (1024 * 1024)} MB`).consume((h) => deferred.reject(h));
    } else {
      pending.set(id, deferred);
      const page = vm.typeof(pageId) === 'number' ? vm.getNumber(pageId) : 0;
      send({ kind: 'call', id, method: vm.getString(method), args: JSON.parse(json) as unknown[], page });
    }
    return deferred.handle;
  }).consume((fn) => vm.setProp(vm.global, '__batonCall', fn));
  vm.newString(job.inputJson).consume((s) => vm.setProp(vm.global, '__batonInput', s));
  vm.newString(job.credential ? JSON.stringify(job.credential) : '').consume((s) =>
    vm.setProp(vm.global, '__batonCredential', s),
  );

  // Runs what the answers unblocked; an error here (a limit) escapes the script's own try/catch.
  const pump = () => {
    const jobs = runtime.executePendingJobs();
    if (jobs.error) {
      failure ??= describe(vm, jobs.error, job, deadline);
      jobs.error.dispose();
    }
  };
  process.on('message', (message: CallAnswer) => {
    const deferred = message.kind === 'answer' ? pending.get(message.id) : undefined;
    if (!deferred) return;
    pending.delete(message.id);
    try {
      if ('json' in message) vm.newString(message.json).consume((h) => deferred.resolve(h));
      else vm.newString(message.error).consume((h) => deferred.reject(h));
      pump();
    } catch (err) {
      failure ??= err instanceof NodeError ? err : memoryLimitError(job.memoryBytes); // no room for the answer
    }
    if (failure) fail(failure);
  });

  vm.unwrapResult(vm.evalCode(BRIDGE_SCRIPT, BRIDGE_FILE)).dispose();
  send({ kind: 'started' });
  const evaluated = vm.evalCode(wrapScript(job.code), SCRIPT_FILE);
  if (evaluated.error) {
    const error = describe(vm, evaluated.error, job, deadline);
    evaluated.error.dispose();
    throw error;
  }
  const settled = vm.resolvePromise(evaluated.value);
  evaluated.value.dispose();
  pump();
  if (failure) throw failure;
  const outcome = await settled;
  if (outcome.error) {
    const error = describe(vm, outcome.error, job, deadline);
    outcome.error.dispose();
    throw error;
  }
  return outcome.value.consume((v) => {
    const chars = vm.getProp(v, 'length').consume((n) => vm.getNumber(n));
    if (chars > MAX_RESULT_CHARS) throw resultLimitError(chars);
    return vm.getString(v);
  });
}

function fail(error: unknown): void {
  const known =
    error instanceof NodeError ? error : codeError(`Browser code sandbox failed: ${(error as Error).message}`);
  send({ kind: 'failed', code: known.code, message: known.message });
}

if (!process.send) throw new Error('nodes/browser/code/child.ts is a child process entry; call runBrowserCode instead');
process.once('disconnect', () => process.exit(0));
process.once('message', (job: CodeJob) => {
  if (job.kind !== 'run') return;
  run(job).then((json) => send({ kind: 'returned', json }), fail);
});
