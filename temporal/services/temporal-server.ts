// The embedded Temporal: `temporal server start-dev` with its state in a SQLite file under BATON_HOME.
import { Connection } from '@temporalio/client';
import path from 'node:path';
import type { ServicePaths } from './home';
import { startProcess, type ManagedProcess } from './child-process';
import { resolveTemporalCli } from './temporal-cli';
import type { Log } from './installer';

export interface TemporalServer {
  process: ManagedProcess;
  address: string;
  uiUrl: string;
  dataPath: string;
}

export async function startTemporalServer(opts: {
  paths: ServicePaths;
  port: number;
  uiPort: number;
  log: Log;
  env: NodeJS.ProcessEnv;
}): Promise<TemporalServer> {
  const { paths, port, uiPort } = opts;
  const cli = await resolveTemporalCli({ binDir: paths.binDir, logsDir: paths.logsDir, log: opts.log, env: opts.env });
  const child = await startProcess({
    name: 'Temporal dev server',
    command: cli,
    // The HTTP API and metrics ports default to random free ports, so several dev servers can coexist.
    args: [
      'server',
      'start-dev',
      '--db-filename',
      paths.temporalDb,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--ui-port',
      String(uiPort),
      '--log-level',
      'warn',
    ],
    logFile: path.join(paths.logsDir, `${paths.logPrefix}temporal.log`),
    watchdogLog: path.join(paths.logsDir, 'watchdog.log'),
  });
  const address = `127.0.0.1:${port}`;
  try {
    await child.waitUntilReady(() => temporalHealthy(address), {
      timeoutMs: 90_000,
      what: `serving gRPC on ${address}`,
    });
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { process: child, address, uiUrl: `http://localhost:${uiPort}`, dataPath: paths.temporalDb };
}

/** Healthy means the frontend answers and the namespace workers will use exists (start-dev creates it). */
export async function temporalHealthy(address: string, namespace = process.env.TEMPORAL_NAMESPACE ?? 'default') {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService.getSystemInfo({});
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } finally {
    await connection.close();
  }
}
