// Builds the Remix app (`remix vite:build`) when build/ is missing or older than the sources it is made from.
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processAlive } from '../../temporal/services/stale-services';
import { runLogged, step, type Log } from '../../temporal/services/installer';
import { appRoot } from './app-processes';

const sourceDirs = ['app', 'nodes', 'ir', 'activities', 'workflows'];
const sourceFiles = ['vite.config.ts', 'package.json'];

const lockFile = path.join(appRoot, 'node_modules', '.cache', 'baton-build.lock');

export async function buildAppIfStale(opts: { log: Log; logsDir: string }): Promise<void> {
  if (!isStale()) return;
  // Several launchers may share one checkout (npm test, a test's own `baton dev`): one builds, the others wait.
  await withBuildLock(opts.log, async () => {
    if (isStale()) await build(opts);
  });
}

function isStale(): boolean {
  const buildDir = path.join(appRoot, 'build');
  const builtAt = newestMtime(buildDir);
  const changedAt = Math.max(
    ...sourceDirs.map((dir) => newestMtime(path.join(appRoot, dir))),
    ...sourceFiles.map((file) => newestMtime(path.join(appRoot, file))),
  );
  return !existsSync(path.join(buildDir, 'server', 'index.js')) || builtAt < changedAt;
}

async function withBuildLock(log: Log, fn: () => Promise<void>): Promise<void> {
  mkdirSync(path.dirname(lockFile), { recursive: true });
  let told = false;
  for (;;) {
    try {
      closeSync(openSync(lockFile, 'wx'));
      writeFileSync(lockFile, String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(lockFile, 'utf8')) || 0;
      if (owner && !processAlive(owner)) {
        rmSync(lockFile, { force: true }); // left by a builder that died
        continue;
      }
      if (!told) log(`Waiting for another process (pid ${owner || '?'}) to finish building the web app…`);
      told = true;
      await sleep(500);
    }
  }
  try {
    await fn();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

async function build(opts: { log: Log; logsDir: string }): Promise<void> {
  const logFile = path.join(opts.logsDir, 'build.log');
  writeFileSync(logFile, '');
  const remixCli = path.join(appRoot, 'node_modules', '@remix-run', 'dev', 'dist', 'cli.js');
  try {
    await step(
      opts.log,
      'Building the web app (remix vite:build)',
      () =>
        runLogged(process.execPath, [remixCli, 'vite:build'], {
          logFile,
          cwd: appRoot,
          env: { ...process.env, NODE_ENV: 'production' },
          timeoutMs: 15 * 60_000,
        }),
      logFile,
    );
  } catch {
    throw new Error(`The web app does not build (remix vite:build):\n${firstError(logFile)}\nFull output: ${logFile}`);
  }
}

/** Vite prints the cause first and a long stack and module list after it; the cause is what helps. */
function firstError(logFile: string): string {
  const lines = readFileSync(logFile, 'utf8').split('\n');
  const start = lines.findIndex((line) => /error|failed|could not/i.test(line));
  return lines.slice(Math.max(start, 0), Math.max(start, 0) + 6).join('\n');
}

/** Newest modification time of a file or of anything below a directory; 0 when it does not exist. */
function newestMtime(target: string): number {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}
