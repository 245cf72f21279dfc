// Shared installer plumbing: progress lines, commands whose output goes to a log, lookups on PATH.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, appendFileSync, closeSync, constants, existsSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeLog, logTail } from './child-process';

export type Log = (line: string) => void;

export const defaultLog: Log = (line) => process.stderr.write(`[baton] ${line}\n`);

/**
 * Runs one slow step with readable progress: "Installing X…", a heartbeat every 15 s showing the last log line,
 * then "Installing X… done in 12s".
 */
export async function step<T>(log: Log, label: string, work: () => Promise<T>, logFile?: string): Promise<T> {
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  log(`${label}…`);
  const heartbeat = setInterval(() => {
    const last = logFile ? logTail(logFile, 1).slice(0, 100) : '';
    log(`  still working (${seconds()}s)${last ? `: ${last}` : ''}`);
  }, 15_000);
  try {
    const result = await work();
    log(`${label}… done in ${seconds()}s`);
    return result;
  } finally {
    clearInterval(heartbeat);
  }
}

/** Runs a command to completion with stdout/stderr appended to `logFile`; rejects with the log tail on failure. */
export function runLogged(
  command: string,
  args: string[],
  opts: {
    logFile: string;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    timeoutMs?: number;
    user?: { uid: number; gid: number };
  },
): Promise<void> {
  appendFileSync(opts.logFile, `\n$ ${command} ${args.join(' ')}\n`);
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', fd, fd],
    uid: opts.user?.uid,
    gid: opts.user?.gid,
  });
  closeSync(fd);
  return new Promise((resolve, reject) => {
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Could not run ${command}: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const how = signal
        ? `was stopped (${signal}${opts.timeoutMs ? `, limit ${opts.timeoutMs / 1000}s` : ''})`
        : `exited with code ${code}`;
      reject(new Error(`\`${command} ${args.join(' ')}\` ${how}.\n${describeLog(opts.logFile)}`));
    });
  });
}

/**
 * Runs a short command and returns its stdout. Its stderr goes to `logFile`, never to the terminal: a probe of a
 * broken binary may print a panic trace that means nothing to someone running `npm start`.
 */
export function captureOutput(command: string, args: string[], opts: { logFile: string; timeoutMs?: number }): string {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: opts.timeoutMs,
  });
  const failed = result.error || result.status !== 0;
  const how = result.error
    ? `could not run (${result.error.message})`
    : `exited with ${result.signal ?? `code ${result.status}`}`;
  if (result.stderr || failed) {
    appendFileSync(
      opts.logFile,
      `\n$ ${command} ${args.join(' ')}\n${result.stderr ?? ''}${failed ? `(${how})\n` : ''}`,
    );
  }
  if (failed) throw new Error(`\`${command} ${args.join(' ')}\` ${how}.\n${describeLog(opts.logFile)}`);
  return result.stdout;
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function firstExisting(candidates: (string | undefined)[]): string | undefined {
  return candidates.find((file): file is string => !!file && existsSync(file) && isExecutable(file));
}

export const isRoot = () => process.getuid?.() === 0;

/** Go is needed to build FerretDB (and as the last way to get the Temporal CLI); /usr/local/go is its usual home. */
export function findGo(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findOnPath('go', env) ?? firstExisting(['/usr/local/go/bin/go']);
}

/**
 * `apt-get install -y <pkg>` (as root, non-interactive), with one `apt-get update` and a second try when the first
 * fails: a fresh machine (or container) often has no package lists yet. The log file keeps both attempts.
 */
export async function aptGetInstall(pkg: string, logFile: string): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => runLogged('apt-get', ['install', '-y', pkg], { logFile, env, timeoutMs: 20 * 60_000 });
  try {
    await install();
  } catch {
    await runLogged('apt-get', ['update'], { logFile, env, timeoutMs: 10 * 60_000 });
    await install();
  }
}
