// `baton services`: only the embedded services, with their env printed for other shells and tools.
import { startServices } from '../../temporal/services';
import { defaultLog } from '../../temporal/services/installer';
import { startIntegrationServices } from '../../temporal/services/integration-services';
import { createProcessTree } from '../lib/process-tree';

export async function run(): Promise<number> {
  const tree = createProcessTree(defaultLog);
  const services = await startServices({ log: defaultLog });
  tree.setServices(services);
  const integrations = await startIntegrationServices({
    home: services.home,
    stateFile: services.stateFile,
    profile: 'dev',
    log: defaultLog,
    env: process.env,
  });
  integrations.processes.forEach((server) => tree.addApp(server));
  const fromEnv = (key: string) => !!process.env[key];
  const printed = { ...services.env, ...integrations.env };
  for (const [key, value] of Object.entries(printed)) {
    // A URI handed to us may carry credentials, and the caller already has it.
    console.log(fromEnv(key) ? `# ${key} is taken from the environment` : `${key}=${value}`);
  }
  if (services.temporalUiUrl) defaultLog(`Temporal UI: ${services.temporalUiUrl}`);
  if (services.mailUiUrl) defaultLog(`Sent mail (Mailpit): ${services.mailUiUrl}`);
  defaultLog(`Services are running (recorded in ${services.stateFile}); press Ctrl-C to stop them.`);
  return new Promise<number>(() => undefined); // runs until a signal or a crash ends the tree
}
