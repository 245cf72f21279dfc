// Real processes for integration tests: a worker (temporal/worker.ts) and the web server as children of the test.
// The loopback HTTP sink is in sink.ts, the document/run harness in run-harness.ts.
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../temporal/worker-node-flags';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../temporal/services/ports';
import { processAlive } from '../temporal/services/stale-services';

export { freePort };

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ChildHandle {
  pid: number;
  kill(signal?: NodeJS.Signals): void;
  /** Resolves when the process has exited. */
  stopped: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines the process printed, for failure messages. */
  output(): string;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function spawnTs(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
  nodeFlags: string[] = [],
): { child: ChildProcess; handle: ChildHandle; lines: (fn: (line: string) => void) => void } {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const tail: string[] = [];
  const listeners: Array<(line: string) => void> = [];
  let partial = '';
  const onData = (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      tail.push(line);
      if (tail.length > 200) tail.shift();
      for (const fn of listeners) fn(line);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const stopped = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  const handle: ChildHandle = {
    pid: child.pid!,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    stopped,
    output: () => [...tail, partial].join('\n'),
  };
  return { child, handle, lines: (fn) => listeners.push(fn) };
}

export interface StartWorkerOptions {
  /** Isolates this test's task queues (BATON_QUEUE_PREFIX). */
  queuePrefix: string;
  queues?: Array<'default' | 'browser' | 'gpu'>;
  /** Extra environment, e.g. MONGODB_URI with the test's own database. */
  env?: Record<string, string | undefined>;
  readyTimeoutMs?: number;
}

/** Spawns `temporal/worker.ts` and resolves once it prints its "worker ready" line. */
export async function startWorker(opts: StartWorkerOptions): Promise<ChildHandle> {
  const queues = opts.queues ?? ['default', 'browser', 'gpu'];
  const { handle, lines } = spawnTs(
    'temporal/worker.ts',
    ['--queues', queues.join(',')],
    { ...WORKER_ENV, ...opts.env, BATON_QUEUE_PREFIX: opts.queuePrefix },
    WORKER_NODE_FLAGS,
  );
  const ready = new Promise<void>((resolve) => lines((line) => line.includes('worker ready') && resolve()));
  await waitOrFail(ready, handle, opts.readyTimeoutMs ?? 120_000, 'worker');
  return handle;
}

/** Spawns `server.ts` on `port` and resolves once GET /healthz answers 200. */
export async function startWeb(opts: {
  port: number;
  env?: Record<string, string | undefined>;
  readyTimeoutMs?: number;
}): Promise<ChildHandle & { url: string }> {
  // `baton test` builds the app before jest and says so; its web servers then serve that build, instead of each
  // compiling every module it serves through Vite.
  const production = process.env.BATON_TEST_WEB_BUILD === '1' ? { NODE_ENV: 'production' } : {};
  const { handle } = spawnTs('server.ts', [], { ...production, ...opts.env, PORT: String(opts.port) });
  const url = `http://127.0.0.1:${opts.port}`;
  const healthy = (async () => {
    for (;;) {
      const ok = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  await waitOrFail(healthy, handle, opts.readyTimeoutMs ?? 120_000, 'web');
  return { ...handle, url };
}

async function waitOrFail(ready: Promise<void>, handle: ChildHandle, timeoutMs: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not become ready within ${timeoutMs} ms. Output:\n${handle.output()}`)),
      timeoutMs,
    );
    void handle.stopped.then(({ code, signal }) =>
      reject(
        new Error(`${what} exited (code ${code}, signal ${signal}) before it was ready. Output:\n${handle.output()}`),
      ),
    );
  });
  try {
    await Promise.race([ready, failed]);
  } catch (err) {
    handle.kill('SIGKILL');
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** `MONGODB_URI` with its database replaced, so each test file owns a database. */
export function testDatabaseUri(
  name: string,
  base = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/baton_test',
): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Polls until none of `pids` is alive or the timeout passes; returns the pids still alive. */
export async function waitUntilGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(processAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(100);
    alive = alive.filter(processAlive);
  }
  return alive;
}

/** Every process below `pid` (detached children keep their parent, so /proc's ppid finds them all). */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}
