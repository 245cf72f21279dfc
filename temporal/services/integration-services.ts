// The servers integration nodes talk to, beside the core services: Radicale for Calendar event nodes and the
// PostgreSQL and MariaDB servers for SQL nodes (their tests create databases there; in development they are a local
// database to point a credential at). `npm start`, `baton services` and `npm test` start them alike, after
// startServices, and record their URLs in services.json so that a `baton web` or `baton worker` started later finds
// them. Each resolves like the others: its URL in the environment → an installed binary → installed by Baton.
import type { ManagedProcess } from './child-process';
import { readServicesState, servicePaths, writeServicesState, type ServiceProfile } from './home';
import type { Log } from './installer';
import { startCalendarService } from './radicale-server';
import { startSqlTestServers } from './sql-test-servers';

export interface IntegrationServices {
  /** BATON_CALDAV_URL (when a calendar server runs), BATON_TEST_POSTGRES_URL and BATON_TEST_MYSQL_URL. */
  env: Record<string, string>;
  /** The servers started here, for the caller's process tree to stop. */
  processes: ManagedProcess[];
}

export async function startIntegrationServices(opts: {
  home: string;
  stateFile: string;
  profile: ServiceProfile;
  log: Log;
  env: NodeJS.ProcessEnv;
}): Promise<IntegrationServices> {
  const { home, profile, log, env } = opts;
  const calendar = await startCalendarService({ paths: servicePaths(home, profile, env), profile, log, env });
  const processes: ManagedProcess[] = calendar.server ? [calendar.server.process] : [];
  try {
    const sql = await startSqlTestServers({ home, profile, log, env });
    processes.push(...sql.processes);
    const started: Record<string, string> = { ...(calendar.url ? { BATON_CALDAV_URL: calendar.url } : {}), ...sql.env };
    const state = readServicesState(opts.stateFile);
    if (state) writeServicesState(opts.stateFile, { ...state, env: { ...state.env, ...started } });
    return { env: started, processes };
  } catch (error) {
    for (const child of processes.reverse()) await child.stop();
    throw error;
  }
}
