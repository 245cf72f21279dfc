// The embedded MongoDB: a local `mongod` if one is installed, else FerretDB over SQLite (built on first use).
import mongoose from 'mongoose';
import path from 'node:path';
import { ensureDir, type ServicePaths } from './home';
import { startProcess, type ManagedProcess } from './child-process';
import { installFerretDb } from './ferretdb-install';
import { findOnPath, firstExisting, type Log } from './installer';

export interface MongoServer {
  process: ManagedProcess;
  kind: 'mongod' | 'ferretdb';
  port: number;
  dataPath: string;
}

export async function startMongoServer(opts: {
  paths: ServicePaths;
  port: number;
  log: Log;
  env: NodeJS.ProcessEnv;
}): Promise<MongoServer> {
  const { paths, port, log } = opts;
  const mongod = findOnPath('mongod', opts.env);
  const logFile = path.join(paths.logsDir, `${paths.logPrefix}mongo.log`);
  const common = { logFile, watchdogLog: path.join(paths.logsDir, 'watchdog.log') };

  let launch: { kind: MongoServer['kind']; name: string; command: string; args: string[]; dataPath: string };
  if (mongod) {
    const dataPath = ensureDir(paths.mongodDir);
    launch = {
      kind: 'mongod',
      name: `MongoDB (${mongod})`,
      command: mongod,
      args: ['--dbpath', dataPath, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'],
      dataPath,
    };
  } else {
    const binary =
      firstExisting([path.join(paths.binDir, 'ferretdb')]) ??
      findOnPath('ferretdb', opts.env) ??
      (await installFerretDb({ binDir: paths.binDir, logsDir: paths.logsDir, log }));
    const dataPath = ensureDir(paths.ferretDir);
    launch = {
      kind: 'ferretdb',
      name: 'FerretDB',
      command: binary,
      args: [
        '--handler=sqlite',
        `--sqlite-url=file:${dataPath}/`,
        `--state-dir=${dataPath}`,
        `--listen-addr=127.0.0.1:${port}`,
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=warn',
      ],
      dataPath,
    };
  }
  const child = await startProcess({ ...common, name: launch.name, command: launch.command, args: launch.args });
  const uri = `mongodb://127.0.0.1:${port}/`;
  try {
    await child.waitUntilReady(() => pingMongo(uri), { timeoutMs: 60_000, what: `answering pings on port ${port}` });
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { process: child, kind: launch.kind, port, dataPath: launch.dataPath };
}

/** One `ping` with the driver mongoose bundles; false (never a throw) when nothing answers yet. */
export async function pingMongo(uri: string, timeoutMs = 1000): Promise<boolean> {
  const client = new mongoose.mongo.MongoClient(uri, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
  });
  try {
    await client.connect();
    const reply = await client.db('admin').command({ ping: 1 });
    return reply.ok === 1;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}
