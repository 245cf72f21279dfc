// A private MariaDB server for the MySQL node's tests (and `baton services`): its data directory in BATON_HOME made
// by mariadb-install-db, run as a managed child (the orphan watchdog covers it) on a free loopback port, with no
// system service involved. Its `baton` account (no password, loopback only) may create the databases tests use.
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2';
import { startProcess, type ManagedProcess } from './child-process';
import type { ServicePaths, ServiceProfile } from './home';
import { isRoot, runLogged, step, type Log } from './installer';
import { resolveMariadb } from './mariadb-install';
import { freePort } from './ports';

export interface MariadbServer {
  process: ManagedProcess;
  port: number;
  dataPath: string;
  /** `mysql://baton@127.0.0.1:<port>/`: a user that may create databases. */
  url: string;
}

/** Run at every start: the account tests connect with. */
const INIT_SQL = `
CREATE USER IF NOT EXISTS 'baton'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'baton'@'127.0.0.1' WITH GRANT OPTION;
`;

export async function startMariadb(opts: {
  paths: ServicePaths;
  profile: ServiceProfile;
  log: Log;
  env: NodeJS.ProcessEnv;
}): Promise<MariadbServer> {
  const { paths, profile, log } = opts;
  const binaries = await resolveMariadb({ logsDir: paths.logsDir, log, env: opts.env });
  const dataDir = path.join(paths.home, `${paths.logPrefix}mariadb`);
  const logFile = path.join(paths.logsDir, `${paths.logPrefix}mariadb.log`);
  if (profile === 'test') rmSync(dataDir, { recursive: true, force: true }); // test data never outlives a run
  // mariadbd refuses to run as root unless told to; the server is ours alone, on loopback.
  const asRoot = isRoot() ? ['--user=root'] : [];
  if (!existsSync(path.join(dataDir, 'mysql'))) {
    const scratch = `${dataDir}.install-${process.pid}`;
    rmSync(scratch, { recursive: true, force: true });
    await step(
      log,
      `Creating the MariaDB data directory in ${dataDir}`,
      async () => {
        await runLogged(binaries.installDb, ['--no-defaults', `--datadir=${scratch}`, '--skip-test-db', ...asRoot], {
          logFile,
          timeoutMs: 5 * 60_000,
        });
        renameSync(scratch, dataDir);
      },
      logFile,
    ).finally(() => rmSync(scratch, { recursive: true, force: true }));
  }
  const initFile = path.join(dataDir, 'baton-init.sql');
  writeFileSync(initFile, INIT_SQL);

  const port = await freePort();
  // A unix socket path is limited to 107 bytes; tests connect over TCP, so a deep BATON_HOME gets one in /tmp.
  const socket = path.join(dataDir, 'mariadbd.sock');
  const durable = profile === 'dev';
  const child = await startProcess({
    name: `MariaDB (${binaries.server})`,
    command: binaries.server,
    args: [
      '--no-defaults', // must come first: /etc/mysql's settings are the system server's
      `--datadir=${dataDir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${socket.length < 100 ? socket : path.join(tmpdir(), `baton-mariadb-${port}.sock`)}`,
      `--pid-file=${path.join(dataDir, 'mariadbd.pid')}`,
      `--init-file=${initFile}`,
      '--skip-name-resolve',
      '--skip-log-bin',
      '--max-connections=200',
      '--innodb-buffer-pool-size=64M',
      '--innodb-use-native-aio=0', // containers often refuse io_setup
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      // Test data is wiped at every start, so it never waits on the disk.
      ...(durable ? [] : ['--innodb-flush-log-at-trx-commit=0', '--innodb-doublewrite=0']),
      ...asRoot,
    ],
    logFile,
    watchdogLog: path.join(paths.logsDir, 'watchdog.log'),
  });
  const url = `mysql://baton@127.0.0.1:${port}/`;
  try {
    await child.waitUntilReady(() => mariadbReady(port), {
      timeoutMs: 60_000,
      what: `accepting logins on port ${port}`,
    });
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { process: child, port, dataPath: dataDir, url };
}

/** Whether the `baton` account can log in; false (never a throw) while the server is starting. */
export function mariadbReady(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const connection = mysql.createConnection({ host: '127.0.0.1', port, user: 'baton', connectTimeout: 1000 });
    connection.on('error', () => undefined);
    connection.query('SELECT 1', (err) => {
      connection.destroy();
      resolve(!err);
    });
  });
}
