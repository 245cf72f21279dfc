// Baton as `npm start` runs it, for benchmarks: `baton dev` on a fresh home under /tmp with its own embedded Temporal
// dev server and FerretDB (so their CPU is part of the figures), reusing the installed binaries like the tests do.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readServicesState, servicePaths } from '../temporal/services';
import { processesOfHome, startDev, type DevTree } from '../test/dev-tree';
import { descendants, freePort, REPO_ROOT, waitUntilGone } from '../test/stack';

export interface BatonDev {
  /** The web server, e.g. http://127.0.0.1:41234. */
  url: string;
  home: string;
  logsDir: string;
  mongoUri: string;
  temporalAddress: string;
  /** Which Mongo-protocol server it runs, e.g. "FerretDB (postgresql)": figures differ a lot between them. */
  store: string;
  /** Every live process of this Baton: launcher, web, worker, services, watchdog (restarted ones included). */
  pids(): number[];
  stop(): Promise<void>;
}

// Settings that would point `baton dev` at services outside its tree, or change how it runs.
const OUTSIDE_SETTINGS = [
  'TEMPORAL_ADDRESS',
  'MONGODB_URI',
  'BATON_TEMPORAL_PORT',
  'BATON_MONGO_PORT',
  'BATON_QUEUE_PREFIX',
  'NODE_ENV',
];

export async function startBatonDev(log: (line: string) => void): Promise<BatonDev> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'baton-bench-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BATON_HOME: home,
    BATON_BIN_DIR: process.env.BATON_BIN_DIR ?? path.join(REPO_ROOT, '.baton', 'bin'),
    PORT: String(port),
  };
  for (const key of OUTSIDE_SETTINGS) delete env[key];
  log(`Starting baton dev (BATON_HOME=${home}, port ${port}); the first start may build the app…`);
  const started = Date.now();
  let tree: DevTree;
  try {
    tree = await startDev(env);
  } catch (error) {
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
  const launcher = tree.child.pid!;
  // The tree has a process group of its own, so Ctrl-C on the benchmark does not reach it: pass it on.
  const stopOnExit = () => void tree.child.kill('SIGTERM');
  const stopOnSignal = () => process.exit(130);
  process.once('exit', stopOnExit);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, stopOnSignal);

  const state = readServicesState(servicePaths(home, 'dev').stateFile);
  if (!state)
    throw new Error(`baton dev is running but wrote no ${home}/services.json; see its output:\n${tree.output()}`);
  const pids = () => [...new Set([launcher, ...descendants(launcher), ...processesOfHome(home)])];
  const store = storeOf(pids());
  log(`Baton is up in ${((Date.now() - started) / 1000).toFixed(0)} s; its store is ${store}.`);

  return {
    url: `http://127.0.0.1:${port}`,
    home,
    logsDir: path.join(home, 'logs'),
    mongoUri: state.env.MONGODB_URI,
    temporalAddress: state.env.TEMPORAL_ADDRESS,
    store,
    pids,
    async stop() {
      process.off('exit', stopOnExit);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, stopOnSignal);
      const members = pids();
      if (tree.child.exitCode === null && tree.child.signalCode === null) tree.child.kill('SIGTERM');
      const patience = new AbortController();
      const exited = await Promise.race([
        tree.exited.then(() => true),
        sleep(60_000, false, { signal: patience.signal }).catch(() => false),
      ]);
      patience.abort();
      if (!exited) {
        log('baton dev did not stop within 60 s of SIGTERM; sending SIGKILL to its process group.');
        process.kill(-launcher, 'SIGKILL');
      }
      const left = await waitUntilGone(members, 30_000);
      if (left.length > 0) log(`Processes still alive after stopping baton dev: ${left.join(', ')}`);
      if (process.env.BENCH_KEEP_HOME) log(`Kept ${home} (BENCH_KEEP_HOME).`);
      else rmSync(home, { recursive: true, force: true });
    },
  };
}

function storeOf(pids: number[]): string {
  for (const pid of pids) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (/(^|\/)mongod$/.test(args[0])) return 'mongod';
    const handler = args.find((arg) => arg.startsWith('--handler='));
    if (/(^|\/)ferretdb$/.test(args[0]))
      return `FerretDB (${handler?.slice('--handler='.length) ?? 'default backend'})`;
  }
  return 'unknown (no mongod or ferretdb process found)';
}
