// The two Baton app processes, each run from its TypeScript entry point with tsx: the web server and a worker.
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../../temporal/worker-node-flags';
import { Connection } from '@temporalio/client';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaskQueue } from '../../nodes/define';
import { taskQueueName } from '../../temporal/queues';
import { startProcess, type ManagedProcess } from '../../temporal/services/child-process';

export const appRoot = fileURLToPath(new URL('../..', import.meta.url));

interface LaunchOptions {
  env: NodeJS.ProcessEnv;
  logsDir: string;
  /** Output lines go here too (the terminal), besides the log file. */
  echo?: (line: string) => void;
}

export function launchWeb(opts: LaunchOptions & { port: number }): Promise<ManagedProcess> {
  return startProcess({
    name: 'web',
    command: process.execPath,
    args: ['--import', 'tsx', path.join(appRoot, 'server.ts')],
    cwd: appRoot,
    env: { ...opts.env, PORT: String(opts.port), NODE_ENV: 'production' },
    logFile: path.join(opts.logsDir, 'web.log'),
    watchdogLog: path.join(opts.logsDir, 'watchdog.log'),
    echo: opts.echo,
  });
}

export function launchWorker(opts: LaunchOptions & { queues: TaskQueue[] }): Promise<ManagedProcess> {
  return startProcess({
    name: 'worker',
    command: process.execPath,
    args: [
      ...WORKER_NODE_FLAGS,
      '--import',
      'tsx',
      path.join(appRoot, 'temporal', 'worker.ts'),
      '--queues',
      opts.queues.join(','),
    ],
    cwd: appRoot,
    env: { ...WORKER_ENV, ...opts.env },
    logFile: path.join(opts.logsDir, `worker-${opts.queues.join('-')}.log`),
    watchdogLog: path.join(opts.logsDir, 'watchdog.log'),
    echo: opts.echo,
  });
}

export function waitForWeb(web: ManagedProcess, port: number): Promise<void> {
  const url = `http://127.0.0.1:${port}/healthz`;
  return web.waitUntilReady(
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return response.ok;
    },
    { timeoutMs: 120_000, what: `answering ${url}` },
  );
}

/**
 * Ready means Temporal sees this very process polling every queue it serves (bundling workflows takes a while).
 * Pollers are matched by the SDK's default identity, `<pid>@<host>`: Temporal keeps listing the pollers of a worker
 * that just died, which must not pass for its restarted successor.
 */
export async function waitForWorker(worker: ManagedProcess, opts: { queues: TaskQueue[]; temporalAddress: string }) {
  const connection = await Connection.connect({ address: opts.temporalAddress });
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  const names = opts.queues.map(taskQueueName); // the worker inherits BATON_QUEUE_PREFIX from this process
  const identityPrefix = `${worker.pid}@`;
  try {
    await worker.waitUntilReady(
      async () => {
        for (const name of names) {
          const replies = await Promise.all(
            [1, 2].map((taskQueueType) =>
              connection.workflowService.describeTaskQueue({ namespace, taskQueue: { name }, taskQueueType }),
            ),
          );
          const pollers = replies.flatMap((reply) => reply.pollers ?? []);
          if (!pollers.some((poller) => poller.identity?.startsWith(identityPrefix))) return false;
        }
        return true;
      },
      { timeoutMs: 180_000, what: `polling ${names.join(', ')}` },
    );
  } finally {
    await connection.close();
  }
}
