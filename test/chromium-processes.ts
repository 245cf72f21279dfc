// Chromium processes as /proc shows them, for tests and benches that check a worker's pooled browser: the main
// process Playwright or Puppeteer launched (it has a `--remote-debugging-pipe` or `-port=` flag and no `--type=`,
// whether BATON_CHROMIUM is the binary or Debian's wrapper script, which execs it) and its renderers.
import { readFileSync } from 'node:fs';
import { descendants } from './stack';

function argv(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined; // exited while we looked
  }
}

const isChromiumMain = (args: string[]) =>
  args.some((a) => a === '--remote-debugging-pipe' || a.startsWith('--remote-debugging-port=')) &&
  !args.some((a) => a.startsWith('--type='));
const isRenderer = (args: string[]) => args.includes('--type=renderer');

export interface ChromiumProcesses {
  /** Browser (main) processes: one per pooled Chromium. */
  main: number[];
  renderers: number[];
  /** Every Chromium process: the main ones and all below them (zygotes, GPU, network, renderers). */
  all: number[];
}

/** The Chromium processes below each of `roots` (worker pids). */
export function chromiumBelow(roots: number[]): ChromiumProcesses {
  const found: ChromiumProcesses = { main: [], renderers: [], all: [] };
  for (const pid of roots.flatMap((root) => descendants(root))) {
    const args = argv(pid);
    if (!args) continue;
    if (isChromiumMain(args)) found.main.push(pid);
    else if (isRenderer(args)) found.renderers.push(pid);
  }
  found.all = [...found.main, ...found.main.flatMap((pid) => descendants(pid))];
  return found;
}

/** Resident memory in KiB (VmRSS), 0 for a process that is gone. */
export function residentKib(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of a process and everything below it (a worker and its Chromium), in KiB. */
export function residentTreeKib(pid: number): number {
  return [pid, ...descendants(pid)].reduce((sum, p) => sum + residentKib(p), 0);
}
