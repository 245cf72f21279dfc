// Stops the process groups a Baton process started once that process is gone, even when it was SIGKILLed
// (Node has no PR_SET_PDEATHSIG). Started detached by orphan-watchdog.ts; plain JS so it starts fast without tsx.
// Usage: node orphan-watchdog-process.mjs <parentPid> [graceMs]
// stdin carries "watch <pgid>" and "release <pgid>" lines; end of stdin means the parent died or is done.
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

const parentPid = Number(process.argv[2]);
const graceMs = Number(process.argv[3] ?? 5000);
const watched = new Set();
let stopping = false;

const log = (message) => process.stderr.write(`${new Date().toISOString()} watchdog(${process.pid}): ${message}\n`);

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

async function stopWatchedGroups(reason) {
  if (stopping) return;
  stopping = true;
  clearInterval(parentPoll);
  const groups = [...watched];
  if (groups.length > 0) {
    log(`parent ${parentPid} ${reason}; stopping process groups ${groups.join(', ')}`);
    for (const pgid of groups) signalGroup(pgid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (groups.some(groupAlive) && Date.now() < deadline) await sleep(100);
    for (const pgid of groups.filter(groupAlive)) {
      log(`process group ${pgid} outlived SIGTERM by ${graceMs} ms; sending SIGKILL`);
      signalGroup(pgid, 'SIGKILL');
    }
  }
  process.exit(0);
}

createInterface({ input: process.stdin })
  .on('line', (line) => {
    const [command, value] = line.trim().split(/\s+/);
    const pgid = Number(value);
    if (!Number.isInteger(pgid) || pgid <= 1) return;
    if (command === 'watch') watched.add(pgid);
    if (command === 'release') watched.delete(pgid);
  })
  .on('close', () => void stopWatchedGroups('closed the watchdog pipe'));

// Belt and braces: stdin EOF is immediate on death, but poll in case the pipe leaked to another process.
const parentPoll = setInterval(() => {
  try {
    process.kill(parentPid, 0);
  } catch {
    void stopWatchedGroups('is gone');
  }
}, 1000);
