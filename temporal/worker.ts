// The worker process: one Temporal Worker per requested logical queue. `default` also hosts the
// interpreter workflow; every queue runs the node activities its nodes' specs route to it.
//   node --import tsx temporal/worker.ts --queues default,browser,gpu
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type LogLevel,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { redactSecretFields, scrubUrlSecrets } from '../contracts/redaction';
import { connectDb, disconnectDb } from '../db/connection';
import { closeMcpConnections } from '../nodes/ai/mcp';
import { closeBrowserPool } from '../nodes/browser/pool';
import { closePuppeteerPool } from '../nodes/browser/puppeteer/pool';
import { startHousekeeping } from './housekeeping';
import { createActivities } from '../activities/index';
import { loadRunner } from '../nodes/runners';
import { createStore } from '../db/store';
import { registry } from '../nodes/index';
import type { TaskQueue } from '../nodes/define';
import { temporalAddress, temporalNamespace } from './client';
import { encryptedDataConverter, FAILURE_CONVERTER_PATH } from './payload-codec';
import { parseQueues, taskQueueName } from './queues';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
const BUNDLER_PATH = fileURLToPath(new URL('./bundle-workflows.ts', import.meta.url));

export interface RunWorkerOptions {
  queues: TaskQueue[];
  /** A prebuilt bundle (the benchmark adds its baseline workflow); built from workflows/index.ts otherwise. */
  workflowBundle?: WorkflowBundleWithSourceMap;
  /** Extra activities registered next to Baton's (the benchmark's baseline). */
  extraActivities?: Record<string, (...args: any[]) => Promise<unknown>>;
  /** Called once every Worker is polling. */
  onReady?: () => void;
  /** Shut down when this settles (in-process use: bench, tests); otherwise on SIGINT/SIGTERM. */
  until?: Promise<unknown>;
}

/**
 * Webpack-bundles the workflow code once; every Worker of the process reuses the bundle. With BATON_PAYLOAD_KEY
 * set, workflow code encodes its failures like the worker does (failure messages in encrypted payloads).
 */
export function bundleWorkflows(workflowsPath = WORKFLOWS_PATH): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath,
    logger: quietBundlerLogger,
    ...(encryptedDataConverter() ? { failureConverterPath: FAILURE_CONVERTER_PATH } : {}),
  });
}

/**
 * Bundles in a child process (temporal/bundle-workflows.ts), so that webpack's memory goes with it: bundled in the
 * worker, the worker's resident memory stayed ~200 MB higher for as long as it ran. With
 * BATON_WORKFLOW_BUNDLE_CACHE set (a directory the caller empties whenever the code may have changed, as the test
 * runner does per run), the first worker's bundle is kept there and later workers load it instead of bundling.
 */
export async function bundleWorkflowsApart(): Promise<WorkflowBundleWithSourceMap> {
  const cacheDir = process.env.BATON_WORKFLOW_BUNDLE_CACHE;
  const cached = cacheDir && path.join(cacheDir, `workflows-${encryptedDataConverter() ? 'codec' : 'plain'}.json`);
  if (cached && existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as WorkflowBundleWithSourceMap;
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-bundle-'));
  const out = path.join(dir, 'bundle.json');
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', BUNDLER_PATH, out], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        code === 0 ? resolve() : reject(new Error(`Bundling the workflow code failed (${signal ?? `exit ${code}`})`)),
      );
    });
    const bundle = readFileSync(out, 'utf8');
    if (cached) {
      // Written whole, then renamed: a worker starting meanwhile reads either nothing or the complete bundle.
      mkdirSync(cacheDir, { recursive: true });
      const partial = `${cached}.${process.pid}.partial`;
      writeFileSync(partial, bundle);
      renameSync(partial, cached);
    }
    return JSON.parse(bundle) as WorkflowBundleWithSourceMap;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs until SIGINT/SIGTERM: Temporal's runtime then shuts every Worker down gracefully (in-flight
 * activities get `shutdownGraceTime` to finish), after which connections are closed.
 */
export async function runWorker(opts: RunWorkerOptions): Promise<void> {
  await connectDb();
  const connection = await NativeConnection.connect({ address: temporalAddress() });
  const housekeeping = startHousekeeping();
  try {
    const store = createStore();
    const deps = { store, nodes: registry, loadRunner, now: () => new Date() };
    const dataConverter = encryptedDataConverter();
    const activities = { ...createActivities(deps), ...opts.extraActivities };
    const limits = workerLimits();
    const needsWorkflows = opts.queues.includes('default');
    const workflowBundle = needsWorkflows ? (opts.workflowBundle ?? (await bundleWorkflowsApart())) : undefined;
    const workers = await Promise.all(
      opts.queues.map((queue) =>
        Worker.create({
          connection,
          namespace: temporalNamespace(),
          taskQueue: taskQueueName(queue),
          activities,
          ...(dataConverter ? { dataConverter } : {}),
          ...(queue === 'default' ? { workflowBundle } : {}),
          shutdownGraceTime: '10s',
          // Heartbeats of nodes without a heartbeat timeout still reach the server every 2 s, which is
          // how a cancelled (fail-fast) activity learns about it.
          defaultHeartbeatThrottleInterval: '2s',
          // After a worker dies, its cached runs move to another worker once this expires (default 10 s).
          // A healthy worker picks sticky tasks up in milliseconds, so 3 s costs nothing and speeds recovery.
          stickyQueueScheduleToStartTimeout: '3s',
          maxConcurrentActivityTaskExecutions: limits.activities,
          maxConcurrentLocalActivityExecutions: limits.activities,
          maxConcurrentWorkflowTaskExecutions: limits.workflowTasks,
          maxCachedWorkflows: limits.cachedWorkflows,
        }),
      ),
    );
    const running = Promise.all(workers.map((w) => (opts.until ? w.runUntil(opts.until) : w.run())));
    opts.onReady?.();
    await running;
  } finally {
    housekeeping.stop();
    await closeMcpConnections(); // stdio MCP servers the agents started end with the worker
    await closeBrowserPool(); // the pooled Chromium (nodes/browser/pool.ts) ends with the worker too
    await closePuppeteerPool(); // and the Puppeteer engine's (nodes/browser/puppeteer/pool.ts)
    await connection.close();
    await disconnectDb();
  }
}

export interface WorkerLimits {
  /** Activities (node executions) running at once in this process, per queue. */
  activities: number;
  /**
   * Workflow tasks at once. A task stays open while its local activities (chains, bookkeeping) wait on the store,
   * so the cap must cover the runs in flight: at 10, 16 concurrent webhooks ran at 12 runs/s, at 32 at 21/s
   * (bench/run-cost.ts). Workflow code itself runs in short activations, and local activities are capped with
   * the activities, so the event loop stays far from Temporal's 5 s task deadline.
   */
  workflowTasks: number;
  /** Runs kept in memory between their tasks (sticky cache); bounded so that memory is bounded. */
  cachedWorkflows: number;
}

/** The worker's concurrency caps, from the environment; the Code node's memory budget is BATON_CODE_MEMORY_BUDGET_MB. */
export function workerLimits(env: NodeJS.ProcessEnv = process.env): WorkerLimits {
  return {
    activities: positiveInt(env, 'BATON_WORKER_MAX_ACTIVITIES', 50),
    workflowTasks: positiveInt(env, 'BATON_WORKER_MAX_WORKFLOW_TASKS', 32),
    cachedWorkflows: positiveInt(env, 'BATON_WORKER_MAX_CACHED_RUNS', 500),
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, not "${raw}".`);
  return n;
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
  log: () => undefined,
};

function queuesFromArgs(argv: string[]): TaskQueue[] {
  const i = argv.indexOf('--queues');
  const inline = argv.find((a) => a.startsWith('--queues='));
  const list = inline ? inline.slice('--queues='.length) : i >= 0 ? argv[i + 1] : 'default,browser,gpu';
  return parseQueues(list ?? '');
}

// The SDK narrates every state change at INFO; a terminal running `npm start` wants warnings and errors.
// Workers on the browser and gpu queues host no workflows by design, so the SDK's warning about that is dropped.
const EXPECTED_WARNINGS = [/^No workflows registered/, /^No Nexus services registered/];

export function installQuietRuntime(): void {
  const level = (process.env.BATON_WORKER_LOG_LEVEL ?? 'WARN') as LogLevel;
  const logger = new DefaultLogger(level, (entry) => {
    if (EXPECTED_WARNINGS.some((re) => re.test(entry.message))) return;
    // Secret-looking fields and URL credentials never reach the log file, whatever an SDK message carries.
    const meta =
      entry.meta && Object.keys(entry.meta).length > 0 ? ` ${JSON.stringify(redactSecretFields(entry.meta))}` : '';
    console.error(scrubUrlSecrets(`[${entry.level}] ${entry.message}${meta}`));
  });
  Runtime.install({ logger });
}

function main(): void {
  installQuietRuntime();
  let queues: TaskQueue[];
  try {
    queues = queuesFromArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  runWorker({
    queues,
    onReady: () => console.log(`worker ready: queues ${queues.map(taskQueueName).join(', ')} (pid ${process.pid})`),
  }).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`worker failed: ${(err as Error).stack ?? err}`);
      process.exit(1);
    },
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
