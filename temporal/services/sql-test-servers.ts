// The database servers the SQL nodes' tests create their databases on, for `npm test` and `baton services`:
// BATON_TEST_POSTGRES_URL → the PostgreSQL cluster already running for FerretDB → a cluster of its own; and
// BATON_TEST_MYSQL_URL → a private MariaDB (installed with apt when we are root). Test files read the URLs from the
// environment (test/sql-servers.ts), and start their own servers only when run alone.
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { ManagedProcess } from './child-process';
import { readServicesState, servicePaths, type ServiceProfile } from './home';
import type { Log } from './installer';
import { startMariadb } from './mariadb-server';
import { startPostgres } from './postgres-server';

export interface SqlTestEnv {
  BATON_TEST_POSTGRES_URL: string;
  BATON_TEST_MYSQL_URL: string;
}

export interface SqlTestServers {
  env: SqlTestEnv;
  /** The servers started here (none when both came from the environment or were running already). */
  processes: ManagedProcess[];
}

/** postgres-server.ts makes its clusters with this superuser and trust authentication on loopback. */
const postgresUrl = (port: number) => `postgres://baton@127.0.0.1:${port}/postgres`;

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

export async function startSqlTestServers(opts: {
  home: string;
  profile: ServiceProfile;
  log: Log;
  env: NodeJS.ProcessEnv;
}): Promise<SqlTestServers> {
  const { home, profile, log, env } = opts;
  const paths = servicePaths(home, profile, env);
  const processes: ManagedProcess[] = [];
  try {
    let postgres = env.BATON_TEST_POSTGRES_URL;
    if (postgres) {
      log('SQL tests use PostgreSQL from BATON_TEST_POSTGRES_URL.'); // it may carry a password: never print it
    } else {
      const ferret = readServicesState(paths.stateFile)?.processes.find((p) => p.name === 'postgres');
      if (ferret) {
        postgres = postgresUrl(ferret.port);
        log(`SQL tests create their databases on FerretDB's PostgreSQL (127.0.0.1:${ferret.port}).`);
      } else {
        const started = Date.now();
        const own = {
          ...paths,
          postgresDir: path.join(home, `${paths.logPrefix}sql-postgres`),
          postgresSocketDir: path.join(home, `${paths.logPrefix}sql-postgres-socket`),
          logPrefix: `${paths.logPrefix}sql-`,
        };
        if (profile === 'test') rmSync(own.postgresDir, { recursive: true, force: true });
        const server = await startPostgres({ paths: own, profile, log, env });
        processes.push(server.process);
        postgres = postgresUrl(server.port);
        log(
          `PostgreSQL for SQL tests ready on 127.0.0.1:${server.port} (data ${server.dataPath}) in ${seconds(started)}s.`,
        );
      }
    }

    let mysql = env.BATON_TEST_MYSQL_URL;
    if (mysql) {
      log('SQL tests use MySQL from BATON_TEST_MYSQL_URL.');
    } else {
      const started = Date.now();
      const server = await startMariadb({ paths, profile, log, env });
      processes.push(server.process);
      mysql = server.url;
      log(`MariaDB ready on 127.0.0.1:${server.port} (data ${server.dataPath}) in ${seconds(started)}s.`);
    }
    return { env: { BATON_TEST_POSTGRES_URL: postgres, BATON_TEST_MYSQL_URL: mysql }, processes };
  } catch (error) {
    for (const child of processes.reverse()) await child.stop();
    throw error;
  }
}
