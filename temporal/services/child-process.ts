// Process supervisor for services and app processes: spawn in an own process group with output in a log file,
// wait for health with a timeout (errors show the log tail), stop with SIGTERM then SIGKILL, never leave orphans.
import { spawn } from 'node:child_process';
import { closeSync, createWriteStream, openSync, readSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { releaseProcessGroup, watchProcessGroup } from './orphan-watchdog';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartProcessOptions {
  /** Human name used in messages: "Temporal dev server", "web". */
  name: string;
  command: string;
  args: string[];
  logFile: string;
  /** Where the orphan watchdog writes what it did (shared by all processes of one home). */
  watchdogLog: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Also hand every output line to this function (the terminal in `baton dev`). */
  echo?: (line: string) => void;
  /** Share this process's stdout/stderr instead of a log file (jest and Playwright under `baton test`). */
  inheritOutput?: boolean;
  /** Run as this OS user (PostgreSQL refuses to run as root); the log file is opened by us before the switch. */
  user?: { uid: number; gid: number };
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly exited: Promise<ExitInfo>;
  isRunning(): boolean;
  /** True once stop() was called, so exit watchers can tell a crash from a shutdown. */
  isStopping(): boolean;
  waitUntilReady(check: () => Promise<boolean>, opts: { timeoutMs: number; what?: string }): Promise<void>;
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<number>();

// Synchronous last resort for process.exit() paths; SIGKILL of this process is the watchdog's job.
process.once('exit', () => {
  for (const pgid of live) signalGroup(pgid, 'SIGTERM');
});

export async function startProcess(opts: StartProcessOptions): Promise<ManagedProcess> {
  const logFd = openSync(opts.logFile, 'a');
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true, // own process group: stop() and the watchdog signal the whole group
    uid: opts.user?.uid,
    gid: opts.user?.gid,
    stdio: opts.inheritOutput ? 'inherit' : opts.echo ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const spawned = await Promise.race([
    once(child, 'spawn').then(() => undefined),
    once(child, 'error').then(([error]) => error as Error),
  ]);
  if (spawned || child.pid === undefined) {
    throw new Error(`Could not start ${opts.name} (${opts.command}): ${spawned?.message ?? 'no pid'}.`);
  }
  const pid = child.pid;
  live.add(pid);
  watchProcessGroup(pid, opts.watchdogLog);

  if (opts.echo) {
    const file = forwardOutput(child.stdout!, child.stderr!, opts.logFile, opts.echo);
    child.once('close', () => file.end());
  }

  let running = true;
  let stopping = false;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      live.delete(pid);
      signalGroup(pid, 'SIGKILL'); // anything the leader left behind in its group
      releaseProcessGroup(pid);
      resolve({ code, signal });
    });
  });

  return {
    name: opts.name,
    pid,
    logFile: opts.logFile,
    exited,
    isRunning: () => running,
    isStopping: () => stopping,
    async waitUntilReady(check, { timeoutMs, what = 'ready' }) {
      const deadline = Date.now() + timeoutMs;
      let lastError = '';
      while (Date.now() < deadline) {
        if (!running) {
          const { code, signal } = await exited;
          throw new Error(
            `${opts.name} exited (${signal ?? `code ${code}`}) before it was ${what}.\n${describeLog(opts.logFile)}`,
          );
        }
        try {
          if (await check()) return;
        } catch (error) {
          lastError = (error as Error).message;
        }
        await sleep(250);
      }
      throw new Error(
        `${opts.name} (pid ${pid}) was not ${what} within ${Math.round(timeoutMs / 1000)} s` +
          (lastError ? ` (last check: ${lastError})` : '') +
          `.\n${describeLog(opts.logFile)}`,
      );
    },
    async stop(graceMs = 10_000) {
      stopping = true;
      if (!running) return;
      signalGroup(pid, 'SIGTERM');
      const grace = new AbortController(); // a pending timer would keep the caller's process alive
      const outcome = await Promise.race([
        exited,
        sleep(graceMs, 'timeout' as const, { signal: grace.signal }).catch(() => undefined),
      ]);
      grace.abort();
      if (outcome === 'timeout') {
        signalGroup(pid, 'SIGKILL');
        await exited;
      }
    },
  };
}

function forwardOutput(
  stdout: NodeJS.ReadableStream,
  stderr: NodeJS.ReadableStream,
  logFile: string,
  echo: (line: string) => void,
) {
  const file = createWriteStream(logFile, { flags: 'a' });
  for (const stream of [stdout, stderr]) {
    stream.pipe(file, { end: false });
    createInterface({ input: stream }).on('line', echo);
  }
  return file;
}

function signalGroup(pgid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

/** The last lines of a log file, for error messages that should explain themselves. */
export function logTail(logFile: string, lines = 25): string {
  try {
    const size = statSync(logFile).size;
    const length = Math.min(size, 16_384);
    const buffer = Buffer.alloc(length);
    const fd = openSync(logFile, 'r');
    readSync(fd, buffer, 0, length, size - length);
    closeSync(fd);
    return buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export function describeLog(logFile: string): string {
  const tail = logTail(logFile);
  return tail ? `Last lines of ${logFile}:\n${tail}` : `Its log ${logFile} is empty.`;
}
