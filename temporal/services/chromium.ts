// Chromium for browser nodes and e2e tests: BATON_CHROMIUM, else Debian's package (installed with apt if we may).
import path from 'node:path';
import { findOnPath, firstExisting, isRoot, runLogged, step, type Log } from './installer';

const debianChromium = '/usr/bin/chromium';

export async function resolveChromium(opts: { logsDir: string; log: Log; env: NodeJS.ProcessEnv }): Promise<string> {
  const found =
    firstExisting([debianChromium]) ?? findOnPath('chromium', opts.env) ?? findOnPath('chromium-browser', opts.env);
  if (found) return found;
  if (!isRoot()) {
    throw new Error(
      `Chromium is not installed (looked for ${debianChromium} and chromium on PATH). ` +
        'Run `sudo apt-get update && sudo apt-get install -y chromium`, or set BATON_CHROMIUM to a Chromium or Chrome binary.',
    );
  }
  const logFile = path.join(opts.logsDir, 'install-chromium.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await step(
    opts.log,
    'Installing Chromium (apt-get install chromium)',
    async () => {
      await runLogged('apt-get', ['update'], { logFile, env, timeoutMs: 10 * 60_000 });
      await runLogged('apt-get', ['install', '-y', 'chromium'], { logFile, env, timeoutMs: 20 * 60_000 });
    },
    logFile,
  );
  const installed = firstExisting([debianChromium]) ?? findOnPath('chromium', opts.env);
  if (!installed) throw new Error(`apt-get installed chromium but ${debianChromium} is missing; see ${logFile}.`);
  return installed;
}
