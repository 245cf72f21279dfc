// MariaDB binaries for the MySQL node's test server: `mariadbd` and `mariadb-install-db` from Debian's
// mariadb-server (installed with apt when we are root), else the same names on PATH.
import path from 'node:path';
import { aptGetInstall, findOnPath, firstExisting, isRoot, step, type Log } from './installer';

export interface MariadbBinaries {
  server: string;
  installDb: string;
}

function findMariadb(env: NodeJS.ProcessEnv): MariadbBinaries | undefined {
  // /usr/sbin is often not on a non-root user's PATH.
  const server = findOnPath('mariadbd', env) ?? firstExisting(['/usr/sbin/mariadbd']);
  const installDb = findOnPath('mariadb-install-db', env) ?? firstExisting(['/usr/bin/mariadb-install-db']);
  return server && installDb ? { server, installDb } : undefined;
}

export async function resolveMariadb(opts: { logsDir: string; log: Log; env: NodeJS.ProcessEnv }) {
  const found = findMariadb(opts.env);
  if (found) return found;
  if (!isRoot()) {
    throw new Error(
      'MariaDB is not installed (looked for mariadbd and mariadb-install-db on PATH and in /usr/sbin, /usr/bin). ' +
        'Run `sudo apt-get install -y mariadb-server` (Baton starts its own server; the system one may stay stopped), ' +
        'or set BATON_TEST_MYSQL_URL to a MySQL or MariaDB server tests may create databases on.',
    );
  }
  const logFile = path.join(opts.logsDir, 'install-mariadb.log');
  await step(
    opts.log,
    'Installing MariaDB (apt-get install mariadb-server)',
    () => aptGetInstall('mariadb-server', logFile),
    logFile,
  );
  const installed = findMariadb(opts.env);
  if (!installed) throw new Error(`apt-get installed mariadb-server but mariadbd is missing; see ${logFile}.`);
  return installed;
}
