// `baton dev` (npm start): embedded services, a fresh app build, the web server and one worker for every queue.
// A crashed web or worker is restarted with backoff until it crash-loops (docs/decisions/019-supervised-dev.md).
import { startServices } from '../../temporal/services';
import { startIntegrationServices } from '../../temporal/services/integration-services';
import { defaultLog } from '../../temporal/services/installer';
import { isPortFree } from '../../temporal/services/ports';
import { TASK_QUEUES } from '../../temporal/queues';
import { buildAppIfStale } from '../lib/app-build';
import { launchWeb, launchWorker, waitForWeb, waitForWorker } from '../lib/app-processes';
import { crashPolicyFromEnv } from '../lib/crash-policy';
import { createProcessTree } from '../lib/process-tree';
import { prepareVaultKey } from '../lib/vault-key-notice';
import path from 'node:path';

export async function run(): Promise<number> {
  const log = defaultLog;
  const port = Number(process.env.PORT || 3000);
  if (!(await isPortFree(port, '0.0.0.0'))) {
    log(`Port ${port} is already in use. Stop what is using it, or start Baton on another port: PORT=3001 npm start`);
    return 1;
  }
  const crashPolicy = crashPolicyFromEnv(); // a bad value fails here, before anything starts
  const tree = createProcessTree(log);
  try {
    const services = await startServices({ log });
    tree.setServices(services);
    const integrations = await startIntegrationServices({
      home: services.home,
      stateFile: services.stateFile,
      profile: 'dev',
      log,
      env: process.env,
    });
    integrations.processes.forEach((server) => tree.addApp(server));
    const logsDir = path.join(services.home, 'logs');
    prepareVaultKey(log);
    await buildAppIfStale({ log, logsDir });

    // BATON_PUBLIC_URL: links the worker hands out (a Wait node's resume link) point at this web server.
    const env = {
      BATON_PUBLIC_URL: `http://localhost:${port}`,
      ...process.env,
      ...services.env,
      ...integrations.env,
      BATON_HOME: services.home,
    };
    const queues = [...TASK_QUEUES];
    log(`Starting the web server on port ${port} and a worker for ${queues.join(', ')}…`);
    const web = tree.supervise(
      {
        name: 'web',
        launch: () => launchWeb({ env, port, logsDir, echo: prefixed('web') }),
        waitUntilReady: (app) => waitForWeb(app, port),
      },
      crashPolicy,
    );
    const worker = tree.supervise(
      {
        name: 'worker',
        launch: () => launchWorker({ env, queues, logsDir, echo: prefixed('worker') }),
        waitUntilReady: (app) => waitForWorker(app, { queues, temporalAddress: services.env.TEMPORAL_ADDRESS }),
      },
      crashPolicy,
    );
    await Promise.all([web.start(), worker.start()]);

    console.log(`Baton is running at http://localhost:${port}`);
    if (services.temporalUiUrl) console.log(`Temporal UI: ${services.temporalUiUrl}`);
    if (services.mailUiUrl) console.log(`Sent mail (Mailpit): ${services.mailUiUrl}`);
    log('Press Ctrl-C to stop.');
  } catch (error) {
    return tree.shutdown(1, `Baton could not start: ${(error as Error).message}`);
  }
  return new Promise<number>(() => undefined); // runs until a signal or a crash loop ends the tree
}

function prefixed(name: string) {
  const label = `${name.padEnd(6)}│ `;
  return (line: string) => process.stdout.write(`${label}${line}\n`);
}
