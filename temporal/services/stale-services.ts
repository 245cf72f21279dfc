// One set of services per home and profile: refuse to start twice, and clear what a killed owner left behind
// (the orphan watchdog may still be stopping it) before a new server opens the same data files.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { readServicesState, type ServicePaths } from './home';
import type { Log } from './installer';

export async function claimHome(paths: ServicePaths, log: Log): Promise<void> {
  const previous = readServicesState(paths.stateFile);
  if (!previous) return;
  const leftovers = previous.processes.filter((p) => processAlive(p.pid) && commandLineMentions(p.pid, p.dataPath));
  if (leftovers.length === 0) return;
  if (processAlive(previous.ownerPid)) {
    throw new Error(
      `Baton services for ${paths.home} are already running (started by pid ${previous.ownerPid} at ${previous.startedAt}; ` +
        `see ${paths.stateFile}). Stop that process first, or reuse its services by exporting ` +
        `TEMPORAL_ADDRESS=${previous.env.TEMPORAL_ADDRESS} and MONGODB_URI from that file.`,
    );
  }
  log(`Waiting for services left by a stopped Baton process (pids ${leftovers.map((p) => p.pid).join(', ')}) to exit…`);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && leftovers.some((p) => processAlive(p.pid))) await sleep(200);
  for (const p of leftovers.filter((p) => processAlive(p.pid))) {
    log(`Stopping leftover ${p.name} (pid ${p.pid}).`);
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
  while (leftovers.some((p) => processAlive(p.pid))) await sleep(100);
}

/** Alive and not a zombie: a killed process whose parent has not reaped it yet holds no files or ports. */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
  }
  try {
    process.kill(pid, 0); // no /proc (macOS): fall back to a signal probe
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Guards against pid reuse: only a process whose command line names our data path is ours. */
function commandLineMentions(pid: number, dataPath: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataPath);
  } catch {
    return false; // without /proc we cannot tell, so never kill
  }
}
