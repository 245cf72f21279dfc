// PostgreSQL binaries for FerretDB's backend: Debian's /usr/lib/postgresql/<version>/bin, else initdb and postgres
// on PATH, else Debian's `postgresql` package (installed with apt when we are root).
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { aptGetInstall, findOnPath, isExecutable, isRoot, step, type Log } from './installer';

const debianRoot = '/usr/lib/postgresql';

/** The directory holding `initdb` and `postgres` (initdb finds `postgres` beside itself). */
export async function resolvePostgresBinDir(opts: { logsDir: string; log: Log; env: NodeJS.ProcessEnv }) {
  const found = findPostgresBinDir(opts.env);
  if (found) return found;
  if (!isRoot()) {
    throw new Error(
      `PostgreSQL is not installed (looked in ${debianRoot}/<version>/bin and for initdb and postgres on PATH). ` +
        'Run `sudo apt-get install -y postgresql` (Baton starts its own cluster; the system one may stay stopped), ' +
        'or set BATON_FERRETDB_BACKEND=sqlite.',
    );
  }
  const logFile = path.join(opts.logsDir, 'install-postgresql.log');
  await step(
    opts.log,
    'Installing PostgreSQL (apt-get install postgresql)',
    () => aptGetInstall('postgresql', logFile),
    logFile,
  );
  const installed = findPostgresBinDir(opts.env);
  if (!installed)
    throw new Error(`apt-get installed postgresql but ${debianRoot}/<version>/bin is missing; see ${logFile}.`);
  return installed;
}

function findPostgresBinDir(env: NodeJS.ProcessEnv): string | undefined {
  const complete = (dir: string) => isExecutable(path.join(dir, 'initdb')) && isExecutable(path.join(dir, 'postgres'));
  if (existsSync(debianRoot)) {
    const newestFirst = readdirSync(debianRoot)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    const debian = newestFirst.map((version) => path.join(debianRoot, version, 'bin')).find(complete);
    if (debian) return debian;
  }
  const initdb = findOnPath('initdb', env);
  if (!initdb) return undefined;
  const dir = path.dirname(realpathSync(initdb)); // /usr/local/bin/initdb is often a link into the real bin dir
  return complete(dir) ? dir : undefined;
}
