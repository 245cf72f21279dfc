// Client side of orphan-watchdog-process.mjs: one detached watchdog per Baton process, told which process groups to
// stop if this process dies without stopping them itself (SIGKILL, OOM, a crash in native code).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

const watchdogScript = fileURLToPath(new URL('./orphan-watchdog-process.mjs', import.meta.url));
const graceMs = 5000;

let watchdog: { child: ChildProcess; groups: Set<number> } | undefined;

function startWatchdog(logFile: string) {
  const logFd = openSync(logFile, 'a');
  // Detached: its own session, so Ctrl-C in a terminal or a kill of our process group does not reach it.
  const child = spawn(process.execPath, [watchdogScript, String(process.pid), String(graceMs)], {
    detached: true,
    stdio: ['pipe', logFd, logFd],
  });
  closeSync(logFd);
  child.unref();
  const stdin = child.stdin as Socket;
  stdin.unref();
  stdin.on('error', () => undefined); // The watchdog only exits after its pipe closed; nothing left to tell it.
  return { child, groups: new Set<number>() };
}

/** Registers a process group (a child spawned with `detached: true`) to be stopped if this process dies. */
export function watchProcessGroup(pgid: number, logFile: string): void {
  watchdog ??= startWatchdog(logFile);
  watchdog.groups.add(pgid);
  watchdog.child.stdin?.write(`watch ${pgid}\n`);
}

/** The group was stopped normally; when none are left the watchdog exits too. */
export function releaseProcessGroup(pgid: number): void {
  if (!watchdog?.groups.delete(pgid)) return;
  watchdog.child.stdin?.write(`release ${pgid}\n`);
  if (watchdog.groups.size === 0) {
    watchdog.child.stdin?.end();
    watchdog = undefined;
  }
}

export function watchdogPid(): number | undefined {
  return watchdog?.child.pid;
}
