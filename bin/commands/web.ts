// `baton web`: the web server alone, against services from the environment or a running `baton services`.
import path from 'node:path';
import { resolveHome } from '../../temporal/services';
import { ensureDir } from '../../temporal/services/home';
import { defaultLog } from '../../temporal/services/installer';
import { buildAppIfStale } from '../lib/app-build';
import { launchWeb, waitForWeb } from '../lib/app-processes';
import { createProcessTree } from '../lib/process-tree';
import { prepareVaultKey } from '../lib/vault-key-notice';
import { externalServiceEnv } from '../lib/service-env';

export async function run(): Promise<number> {
  const env = externalServiceEnv();
  const port = Number(env.PORT || 3000);
  const logsDir = ensureDir(path.join(resolveHome(), 'logs'));
  prepareVaultKey(defaultLog);
  await buildAppIfStale({ log: defaultLog, logsDir });
  const tree = createProcessTree(defaultLog);
  const web = await launchWeb({ env, port, logsDir, echo: (line) => console.log(line) });
  tree.addApp(web);
  try {
    await waitForWeb(web, port);
  } catch (error) {
    return tree.shutdown(1, (error as Error).message);
  }
  defaultLog(`Baton web is running at http://localhost:${port}`);
  return new Promise<number>(() => undefined);
}
