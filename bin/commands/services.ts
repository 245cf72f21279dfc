// `baton services`: only the embedded services, with their env printed for other shells and tools.
import { servicePaths, startServices } from '../../temporal/services';
import { defaultLog } from '../../temporal/services/installer';
import { startCalendarService } from '../../temporal/services/radicale-server';
import { startSqlTestServers } from '../../temporal/services/sql-test-servers';
import { createProcessTree } from '../lib/process-tree';

export async function run(): Promise<number> {
  const tree = createProcessTree(defaultLog);
  const services = await startServices({ log: defaultLog });
  tree.setServices(services);
  const paths = servicePaths(services.home, 'dev');
  const calendar = await startCalendarService({ paths, profile: 'dev', log: defaultLog, env: process.env });
  if (calendar.server) tree.addApp(calendar.server.process);
  const sql = await startSqlTestServers({ home: services.home, profile: 'dev', log: defaultLog, env: process.env });
  sql.processes.forEach((server) => tree.addApp(server));
  const fromEnv = (key: string) => !!process.env[key];
  const printed = { ...services.env, ...(calendar.url ? { BATON_CALDAV_URL: calendar.url } : {}), ...sql.env };
  for (const [key, value] of Object.entries(printed)) {
    // A URI handed to us may carry credentials, and the caller already has it.
    console.log(fromEnv(key) ? `# ${key} is taken from the environment` : `${key}=${value}`);
  }
  if (services.temporalUiUrl) defaultLog(`Temporal UI: ${services.temporalUiUrl}`);
  if (services.mailUiUrl) defaultLog(`Sent mail (Mailpit): ${services.mailUiUrl}`);
  defaultLog(`Services are running (recorded in ${services.stateFile}); press Ctrl-C to stop them.`);
  return new Promise<number>(() => undefined); // runs until a signal or a crash ends the tree
}
