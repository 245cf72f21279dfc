// A real `baton dev` tree for tests that restart, kill or crash its members (restart.test.ts, supervisor.test.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processAlive } from '../temporal/services/stale-services';
import { REPO_ROOT } from './stack';

export interface DevTree {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

/** Starts `baton dev` in its own process group (so a test can SIGKILL the group) and waits for its URL line. */
export async function startDev(env: NodeJS.ProcessEnv): Promise<DevTree> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'baton.mjs'), 'dev'], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 400_000; // the first start may build the app
  while (!output.includes('Baton is running at') && child.exitCode === null && child.signalCode === null) {
    if (Date.now() > deadline) break;
    await sleep(250);
  }
  if (!output.includes('Baton is running at')) {
    child.kill('SIGKILL');
    throw new Error(`baton dev did not start:\n${output.slice(-4000)}`);
  }
  return { child, exited, output: () => output };
}

/** Waits until the tree printed something matching `pattern`; returns the match. */
export async function waitForOutput(tree: DevTree, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = tree.output().match(pattern);
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`baton dev did not print ${pattern}:\n${tree.output().slice(-4000)}`);
    await sleep(100);
  }
}

/**
 * Live processes whose environment holds `BATON_HOME=<home>`: everything a `baton dev` on that home started (apps,
 * their children, the watchdog), including processes it restarted, which a snapshot of its children would miss.
 */
export function processesOfHome(home: string): number[] {
  const marker = `\0BATON_HOME=${home}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (`\0${readFileSync(`/proc/${entry}/environ`, 'utf8')}`.includes(marker) && processAlive(Number(entry))) {
        found.push(Number(entry));
      }
    } catch {
      // exited while we looked, or not ours to read
    }
  }
  return found;
}

/** The pid of the tree's process started from `script` (`server.ts`, `temporal/worker.ts`), if one is running. */
export function appPid(home: string, script: string): number | undefined {
  return processesOfHome(home).find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(path.join(REPO_ROOT, script));
    } catch {
      return false;
    }
  });
}
