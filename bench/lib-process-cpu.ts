// CPU time of a whole process tree, read from /proc: what a benchmark charges to every request it served.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Clock ticks per second of /proc/<pid>/stat times (100 on Linux unless the kernel says otherwise). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime + cutime + cstime of one process, in clock ticks; 0 once it has exited. */
function ticksOf(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: the fields that follow start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const field = (n: number) => Number(fields[n - 3]); // n is the 1-based field number of proc(5)
    return field(14) + field(15) + field(16) + field(17);
  } catch {
    return 0;
  }
}

/** What a process of a Baton tree is, by its command line. */
export type ProcessRole = 'web' | 'worker' | 'temporal' | 'db' | 'launcher';

export const PROCESS_ROLES: ProcessRole[] = ['web', 'worker', 'temporal', 'db', 'launcher'];

export type CpuByRole = Record<ProcessRole, number>;

/** A figure for every role. */
export const perRole = (value: (role: ProcessRole) => number): CpuByRole =>
  Object.fromEntries(PROCESS_ROLES.map((role) => [role, value(role)])) as CpuByRole;

function roleOf(pid: number): ProcessRole {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return 'launcher';
  }
  const has = (pattern: RegExp) => args.some((arg) => pattern.test(arg));
  if (has(/(^|\/)server\.ts$/)) return 'web';
  if (has(/(^|\/)temporal\/worker\.ts$/)) return 'worker';
  if (has(/(^|\/)temporal$/) && args.includes('start-dev')) return 'temporal';
  // PostgreSQL (FerretDB's backend) renames its server processes "postgres: <what it does>".
  if (has(/(^|\/)(ferretdb|mongod|postgres)$/) || /^postgres:/.test(args[0])) return 'db';
  return 'launcher'; // baton dev itself, the orphan watchdog, and what they reaped (a restarted worker's time)
}

/**
 * CPU milliseconds used so far by these processes, by role, including children they have reaped: a process that
 * exits between two readings moves its time into its parent's count instead of vanishing from the total.
 */
export function cpuMsByRole(pids: number[]): CpuByRole {
  const ms = perRole(() => 0);
  for (const pid of pids) ms[roleOf(pid)] += (ticksOf(pid) * 1000) / CLOCK_TICKS;
  return ms;
}

/** Cores the processes kept busy over the next `ms`, by role (`pids` is asked again at the end: members change). */
export async function busyCores(pids: () => number[], ms: number): Promise<CpuByRole> {
  const before = cpuMsByRole(pids());
  await sleep(ms);
  const after = cpuMsByRole(pids());
  return perRole((role) => (after[role] - before[role]) / ms);
}
