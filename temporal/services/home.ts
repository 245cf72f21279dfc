// Where Baton keeps installed tools, service data, logs and the record of running services.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** `dev` data is kept across restarts; `test` data lives beside it and is wiped at every start. */
export type ServiceProfile = 'dev' | 'test';

export interface ServicePaths {
  home: string;
  /** Installed binaries (ferretdb, temporal, the pip target). `BATON_BIN_DIR` lets several homes share one. */
  binDir: string;
  logsDir: string;
  temporalDb: string;
  ferretDir: string;
  /** The PostgreSQL cluster behind FerretDB, and the directory of its unix socket. */
  postgresDir: string;
  postgresSocketDir: string;
  mongodDir: string;
  /** Mailpit's mailbox (SQLite). */
  mailpitDb: string;
  stateFile: string;
  /** Prefix for this profile's log files so dev and test services can run side by side. */
  logPrefix: string;
}

export function resolveHome(home?: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(home ?? env.BATON_HOME ?? '.baton');
}

export function servicePaths(
  home: string,
  profile: ServiceProfile,
  env: NodeJS.ProcessEnv = process.env,
): ServicePaths {
  const prefix = profile === 'test' ? 'test-' : '';
  return {
    home,
    binDir: path.resolve(env.BATON_BIN_DIR ?? path.join(home, 'bin')),
    logsDir: path.join(home, 'logs'),
    temporalDb: path.join(home, `${prefix}temporal.db`),
    ferretDir: path.join(home, `${prefix}ferretdb`),
    postgresDir: path.join(home, `${prefix}postgres`),
    postgresSocketDir: path.join(home, `${prefix}postgres-socket`),
    mongodDir: path.join(home, `${prefix}mongodb`),
    mailpitDb: path.join(home, `${prefix}mailpit.db`),
    stateFile: path.join(home, `${prefix}services.json`),
    logPrefix: prefix,
  };
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface ServiceEnv {
  TEMPORAL_ADDRESS: string;
  MONGODB_URI: string;
  BATON_CHROMIUM: string;
  /** Where mail is sent when a node picks no SMTP credential: Mailpit's SMTP port, or the server the user named. */
  BATON_SMTP_URL?: string;
  /** Mailpit's web UI and HTTP API, when Baton runs Mailpit (or the user points at theirs). */
  BATON_MAILPIT_URL?: string;
  /** The calendar server of Calendar event nodes without a credential (temporal/services/integration-services.ts). */
  BATON_CALDAV_URL?: string;
  /** Database servers for SQL nodes: where their tests create databases, and a local database in development. */
  BATON_TEST_POSTGRES_URL?: string;
  BATON_TEST_MYSQL_URL?: string;
}

/** What `<home>/services.json` records, so `baton web`, `baton worker` and tests can find running services. */
export interface ServicesState {
  ownerPid: number;
  watchdogPid?: number;
  startedAt: string;
  env: ServiceEnv;
  temporalUiUrl?: string;
  processes: { name: string; pid: number; port: number; dataPath: string }[];
}

export function readServicesState(stateFile: string): ServicesState | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as ServicesState;
  } catch {
    return undefined; // A half-written file from a killed process is as good as none.
  }
}

export function writeServicesState(stateFile: string, state: ServicesState): void {
  const tmp = `${stateFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, stateFile);
}
