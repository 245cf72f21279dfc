// `baton worker --queues default,browser,gpu`: one worker process against external services.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveHome } from '../../temporal/services';
import { ensureDir } from '../../temporal/services/home';
import { defaultLog } from '../../temporal/services/installer';
import { parseQueues, TASK_QUEUES } from '../../temporal/queues';
import { launchWorker, waitForWorker } from '../lib/app-processes';
import { createProcessTree } from '../lib/process-tree';
import { prepareVaultKey } from '../lib/vault-key-notice';
import { externalServiceEnv } from '../lib/service-env';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { queues: { type: 'string', default: TASK_QUEUES.join(',') } } });
  const queues = parseQueues(values.queues!);
  const env = externalServiceEnv();
  const logsDir = ensureDir(path.join(resolveHome(), 'logs'));
  prepareVaultKey(defaultLog);
  const tree = createProcessTree(defaultLog);
  const worker = await launchWorker({ env, queues, logsDir, echo: (line) => console.log(line) });
  tree.addApp(worker);
  try {
    await waitForWorker(worker, { queues, temporalAddress: env.TEMPORAL_ADDRESS! });
  } catch (error) {
    return tree.shutdown(1, (error as Error).message);
  }
  defaultLog(`Worker is polling ${queues.join(', ')}.`);
  return new Promise<number>(() => undefined);
}
