// Finds Radicale (a small CalDAV server, for calendar nodes in development and tests) or installs it: PyPI's
// radicale into a virtualenv in the Baton bin dir, else Debian's `radicale` package when we are root.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { aptGetInstall, findOnPath, isExecutable, isRoot, runLogged, step, type Log } from './installer';

export const RADICALE_VERSION = '3.9.0';

/** How to start Radicale: its own command, or a Python that has it (`python -m radicale`). */
export interface RadicaleCommand {
  command: string;
  args: string[];
}

const venvDir = (binDir: string) => path.join(binDir, 'radicale-venv');
const venvPython = (dir: string) => path.join(dir, 'bin', 'python');

/** Order: Baton's own virtualenv, then `radicale` on PATH, then install (pip into a virtualenv, then apt). */
export async function resolveRadicale(opts: {
  binDir: string;
  logsDir: string;
  log: Log;
  env: NodeJS.ProcessEnv;
}): Promise<RadicaleCommand> {
  const own = venvPython(venvDir(opts.binDir));
  if (isExecutable(own)) return { command: own, args: ['-m', 'radicale'] };
  const onPath = findOnPath('radicale', opts.env);
  if (onPath) return { command: onPath, args: [] };

  mkdirSync(opts.binDir, { recursive: true });
  const failures: string[] = [];
  const pipLog = path.join(opts.logsDir, 'install-radicale-pip.log');
  try {
    return await step(
      opts.log,
      `Installing Radicale ${RADICALE_VERSION} (pip, into a virtualenv)`,
      () => installWithPip(opts.binDir, pipLog, opts.env),
      pipLog,
    );
  } catch (error) {
    failures.push(`pip: ${(error as Error).message.split('\n')[0]}`);
    opts.log(`Installing Radicale with pip failed (see ${pipLog}).`);
  }
  if (isRoot()) {
    const aptLog = path.join(opts.logsDir, 'install-radicale-apt.log');
    try {
      return await step(
        opts.log,
        'Installing Radicale (apt-get install radicale)',
        () => installWithApt(aptLog),
        aptLog,
      );
    } catch (error) {
      failures.push(`apt: ${(error as Error).message.split('\n')[0]}`);
    }
  } else {
    failures.push('apt: not root, so `apt-get install radicale` was not tried');
  }
  throw new Error(
    `Could not install Radicale into ${opts.binDir}.\n${failures.join('\n')}\n` +
      `Install it yourself (\`pip install radicale==${RADICALE_VERSION}\` or \`sudo apt-get install radicale\`) so ` +
      '`radicale` is on PATH, or set BATON_CALDAV_URL to a CalDAV server you run (http://user:password@host:port/).',
  );
}

/** Builds the virtualenv in a scratch dir and renames it: a cut-short install is never taken for a good one. */
async function installWithPip(binDir: string, logFile: string, env: NodeJS.ProcessEnv): Promise<RadicaleCommand> {
  const python = findOnPath('python3', env) ?? findOnPath('python', env);
  if (!python) throw new Error('python3 is not on PATH.');
  const target = venvDir(binDir);
  const scratch = `${target}.${process.pid}.tmp`;
  rmSync(scratch, { recursive: true, force: true });
  try {
    await runLogged(python, ['-m', 'venv', scratch], { logFile, timeoutMs: 5 * 60_000 });
    await runLogged(
      venvPython(scratch),
      ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', `radicale==${RADICALE_VERSION}`],
      { logFile, timeoutMs: 10 * 60_000 },
    );
    // `python -m radicale` works from the renamed dir; the console scripts pip wrote name the scratch path. Another
    // process (a test file run beside this one) may have finished first: its virtualenv may be in use, so keep it.
    if (!isExecutable(venvPython(target))) {
      rmSync(target, { recursive: true, force: true });
      renameSync(scratch, target);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { command: venvPython(target), args: ['-m', 'radicale'] };
}

async function installWithApt(logFile: string): Promise<RadicaleCommand> {
  await aptGetInstall('radicale', logFile);
  const installed = ['/usr/bin/radicale'].find(existsSync) ?? findOnPath('radicale');
  if (!installed) throw new Error(`apt-get installed radicale but no radicale command is there; see ${logFile}.`);
  return { command: installed, args: [] };
}
