// The embedded MongoDB: a local `mongod` if one is installed, else FerretDB (built on first use) over its own
// PostgreSQL cluster, or over SQLite when asked to or when PostgreSQL cannot be provisioned
// (docs/decisions/029-embedded-postgresql.md).
import mongoose from 'mongoose';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ensureDir, type ServicePaths, type ServiceProfile } from './home';
import { startProcess, type ManagedProcess } from './child-process';
import { installFerretDb } from './ferretdb-install';
import { findOnPath, firstExisting, type Log } from './installer';
import { startPostgres, type PostgresServer } from './postgres-server';

export interface MongoServer {
  process: ManagedProcess;
  kind: 'mongod' | 'ferretdb';
  port: number;
  dataPath: string;
  /** FerretDB's PostgreSQL, started before it and to be stopped after it. */
  backend?: PostgresServer;
}

type FerretDbBackend = 'postgresql' | 'sqlite';

export async function startMongoServer(opts: {
  paths: ServicePaths;
  profile: ServiceProfile;
  port: number;
  log: Log;
  env: NodeJS.ProcessEnv;
}): Promise<MongoServer> {
  const { paths, port, log } = opts;
  const mongod = findOnPath('mongod', opts.env);
  const logFile = path.join(paths.logsDir, `${paths.logPrefix}mongo.log`);
  const common = { logFile, watchdogLog: path.join(paths.logsDir, 'watchdog.log') };

  let launch: { kind: MongoServer['kind']; name: string; command: string; args: string[]; dataPath: string };
  let backend: PostgresServer | undefined;
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
    backend = await startBackend(opts);
    launch = {
      kind: 'ferretdb',
      name: backend ? 'FerretDB (PostgreSQL backend)' : 'FerretDB (SQLite backend)',
      command: binary,
      args: [
        ...(backend
          ? ['--handler=postgresql', `--postgresql-url=${backend.url}`]
          : ['--handler=sqlite', `--sqlite-url=file:${dataPath}/`]),
        `--state-dir=${dataPath}`,
        `--listen-addr=127.0.0.1:${port}`,
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=warn',
      ],
      dataPath, // named on FerretDB's command line (--state-dir), which is how a leftover process is recognised
    };
  }
  const uri = `mongodb://127.0.0.1:${port}/`;
  try {
    const child = await startProcess({ ...common, name: launch.name, command: launch.command, args: launch.args });
    try {
      await child.waitUntilReady(() => pingMongo(uri), { timeoutMs: 60_000, what: `answering pings on port ${port}` });
    } catch (error) {
      await child.stop();
      throw error;
    }
    return { process: child, kind: launch.kind, port, dataPath: launch.dataPath, backend };
  } catch (error) {
    await backend?.process.stop();
    throw error;
  }
}

/**
 * PostgreSQL unless BATON_FERRETDB_BACKEND=sqlite. When PostgreSQL was only the default and cannot be provisioned,
 * FerretDB falls back to SQLite with a warning; when it was asked for explicitly, that is an error.
 */
async function startBackend(opts: {
  paths: ServicePaths;
  profile: ServiceProfile;
  log: Log;
  env: NodeJS.ProcessEnv;
}): Promise<PostgresServer | undefined> {
  const chosen = opts.env.BATON_FERRETDB_BACKEND;
  if (chosen !== undefined && chosen !== '' && chosen !== 'postgresql' && chosen !== 'sqlite') {
    throw new Error(`BATON_FERRETDB_BACKEND=${chosen} is not a FerretDB backend Baton runs; use postgresql or sqlite.`);
  }
  const backend: FerretDbBackend = chosen === 'sqlite' ? 'sqlite' : 'postgresql';
  if (backend === 'sqlite') return undefined;
  const hadCluster = existsSync(path.join(opts.paths.postgresDir, 'PG_VERSION'));
  try {
    const started = Date.now();
    const postgres = await startPostgres(opts);
    opts.log(
      `PostgreSQL ready on 127.0.0.1:${postgres.port} (data ${postgres.dataPath}) in ${Math.round((Date.now() - started) / 100) / 10}s.`,
    );
    if (!hadCluster && opts.profile === 'dev' && hasSqliteData(opts.paths.ferretDir)) {
      opts.log(
        `Note: workflows stored by the SQLite backend in ${opts.paths.ferretDir} are not moved to PostgreSQL; ` +
          'start with BATON_FERRETDB_BACKEND=sqlite to keep using them.',
      );
    }
    return postgres;
  } catch (error) {
    if (chosen === 'postgresql') throw error;
    const reason = (error as Error).message.split('\n')[0];
    opts.log(
      `Warning: PostgreSQL could not be provisioned (${reason}); FerretDB falls back to its SQLite backend, ` +
        'where every query scans its whole collection and runs get slower as they pile up ' +
        '(docs/decisions/029-embedded-postgresql.md).',
    );
    return undefined;
  }
}

function hasSqliteData(ferretDir: string): boolean {
  return existsSync(ferretDir) && readdirSync(ferretDir).some((name) => name.endsWith('.sqlite'));
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
