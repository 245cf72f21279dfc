// The PostgreSQL cluster behind FerretDB: created by initdb under BATON_HOME, run as a managed child (so the orphan
// watchdog covers it) on a free loopback port, as a non-root OS user because postgres refuses to run as root.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { startProcess, type ManagedProcess } from './child-process';
import type { ServicePaths, ServiceProfile } from './home';
import { isRoot, runLogged, step, type Log } from './installer';
import { installEqualityIndexes } from './postgres-indexes';
import { resolvePostgresBinDir } from './postgres-install';
import { freePort } from './ports';

export interface PostgresServer {
  process: ManagedProcess;
  port: number;
  dataPath: string;
  /** What FerretDB's `--postgresql-url` takes: loopback TCP, trust auth, the cluster's `postgres` database. */
  url: string;
}

type OsUser = { name: string; uid: number; gid: number };

const superuser = 'baton';

export async function startPostgres(opts: {
  paths: ServicePaths;
  profile: ServiceProfile;
  log: Log;
  env: NodeJS.ProcessEnv;
}): Promise<PostgresServer> {
  const { paths, log } = opts;
  const binDir = await resolvePostgresBinDir({ logsDir: paths.logsDir, log, env: opts.env });
  const user = isRoot() ? systemUser(paths.logsDir) : undefined;
  if (user) makeReachable(paths.home, paths.postgresDir, user);
  const logFile = path.join(paths.logsDir, `${paths.logPrefix}postgres.log`);
  await ensureCluster(binDir, paths, user, logFile, log);

  const port = await freePort();
  const socketDir = ownedDir(paths.postgresSocketDir, user);
  // A unix socket path is limited to 107 bytes; a deep BATON_HOME then gets TCP only, which is all FerretDB uses.
  const sockets = `${socketDir}/.s.PGSQL.${port}`.length < 100 ? socketDir : '';
  const durable = opts.profile === 'dev'; // test data is wiped at every start, so it never pays for fsync
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: sockets,
    shared_buffers: '64MB',
    // Every web, worker and test process has its own pool through FerretDB; 60 ran out with a few side by side.
    max_connections: '200',
    fsync: durable ? 'on' : 'off',
    full_page_writes: durable ? 'on' : 'off',
    // A crash of the machine may lose the last ~0.6 s of commits but never corrupts the cluster; a dev database
    // trades that for commits that do not wait on the disk.
    synchronous_commit: 'off',
    log_min_messages: 'warning',
    // FerretDB names the field of a filter as a statement parameter (`_jsonb->$1 @> $2`), and its prepared statements
    // would switch to a generic plan, where that expression matches no index (see postgres-indexes.ts).
    plan_cache_mode: 'force_custom_plan',
  };
  const child = await startProcess({
    name: `PostgreSQL (${binDir})`,
    command: path.join(binDir, 'postgres'),
    args: [
      '-D',
      paths.postgresDir,
      '-p',
      String(port),
      ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    logFile,
    watchdogLog: path.join(paths.logsDir, 'watchdog.log'),
    user,
  });
  try {
    await child.waitUntilReady(async () => postmasterReady(paths.postgresDir), {
      timeoutMs: 60_000,
      what: `accepting connections on port ${port}`,
    });
  } catch (error) {
    await child.stop();
    throw error;
  }
  try {
    await installEqualityIndexes({ binDir, port, superuser, logFile });
  } catch (error) {
    log(
      `Warning: FerretDB's equality indexes could not be installed, so its queries scan whole tables and runs get ` +
        `slower as they pile up: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  return {
    process: child,
    port,
    dataPath: paths.postgresDir,
    // FerretDB keeps a PostgreSQL connection per open cursor and per command in flight; its own default pool (50)
    // ran dry under a few worker and test processes at once.
    url: `postgres://${superuser}@127.0.0.1:${port}/postgres?pool_max_conns=150`,
  };
}

/** initdb into a scratch directory renamed into place, so an interrupted initdb is never taken for a cluster. */
async function ensureCluster(binDir: string, paths: ServicePaths, user: OsUser | undefined, logFile: string, log: Log) {
  const dataDir = paths.postgresDir;
  const binVersion = path.basename(path.dirname(binDir));
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const clusterVersion = readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8').trim();
    if (/^\d+$/.test(binVersion) && clusterVersion !== binVersion) {
      throw new Error(
        `The PostgreSQL cluster in ${dataDir} was made by PostgreSQL ${clusterVersion} but ${binDir} is ${binVersion}. ` +
          `Install postgresql-${clusterVersion}, or move ${dataDir} away to start with an empty database.`,
      );
    }
    return;
  }
  rmSync(dataDir, { recursive: true, force: true }); // a directory without PG_VERSION is no cluster
  const scratch = ownedDir(`${dataDir}.initdb-${process.pid}`, user);
  chmodSync(scratch, 0o700);
  await step(
    log,
    `Creating the PostgreSQL cluster in ${dataDir}`,
    async () => {
      await runLogged(
        path.join(binDir, 'initdb'),
        ['-D', scratch, '-U', superuser, '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-instructions'],
        { logFile, user, timeoutMs: 5 * 60_000, env: { ...process.env, LC_ALL: 'C' } },
      );
      renameSync(scratch, dataDir);
    },
    logFile,
  ).finally(() => rmSync(scratch, { recursive: true, force: true }));
}

/** postmaster.pid's 8th line turns to "ready" once the server accepts connections (PostgreSQL ≥ 10). */
function postmasterReady(dataDir: string): boolean {
  try {
    return readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[7]?.trim() === 'ready';
  } catch {
    return false;
  }
}

/** Debian's `postgres` user (the package creates it); made as a system user when the binaries came without it. */
function systemUser(logsDir: string): OsUser {
  const lookup = () => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0
      ? { name: 'postgres', uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
      : undefined;
  };
  const existing = lookup();
  if (existing) return existing;
  const made = spawnSync(
    'useradd',
    ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
    { encoding: 'utf8' },
  );
  const created = lookup();
  if (!created) {
    throw new Error(
      `PostgreSQL refuses to run as root and there is no \`postgres\` user; \`useradd --system postgres\` failed: ` +
        `${made.error?.message ?? made.stderr.trim()} (logs in ${logsDir}). Create a postgres user, or run Baton as a non-root user.`,
    );
  }
  return created;
}

/**
 * The server's user must reach the cluster: BATON_HOME (ours) gets search permission for others (0711, no listing);
 * a parent we do not own (a 0700 /root) we leave alone and explain instead.
 */
function makeReachable(home: string, dataDir: string, user: OsUser) {
  const homeStat = statSync(home);
  if ((homeStat.mode & 0o001) === 0) chmodSync(home, (homeStat.mode & 0o777) | 0o011);
  for (let dir = path.dirname(home); ; dir = path.dirname(dir)) {
    const { mode, uid, gid } = statSync(dir);
    const searchable = mode & 0o001 || (uid === user.uid && mode & 0o100) || (gid === user.gid && mode & 0o010);
    if (!searchable) {
      throw new Error(
        `PostgreSQL runs as the OS user ${user.name}, which cannot reach ${dataDir}: ${dir} has mode ` +
          `${(mode & 0o777).toString(8)}. Put BATON_HOME somewhere ${user.name} may enter (e.g. \`chmod o+x ${dir}\`), ` +
          'or set BATON_FERRETDB_BACKEND=sqlite.',
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

function ownedDir(dir: string, user: OsUser | undefined): string {
  mkdirSync(dir, { recursive: true });
  if (user) chownSync(dir, user.uid, user.gid);
  return dir;
}
