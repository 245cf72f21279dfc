// Keeps one app process (web or worker) of `baton dev` running: a crash is logged in one line and the process is
// started again after a backoff; a crash loop stops Baton with the log tail and what to do
// (docs/decisions/019-supervised-dev.md). Runs survive the restart because Temporal keeps their state.
import type { ExitInfo, ManagedProcess } from '../../temporal/services/child-process';
import { describeLog } from '../../temporal/services/child-process';
import type { Log } from '../../temporal/services/installer';
import { createCrashHistory, describeWindow, restartDelayMs, type CrashPolicy } from './crash-policy';

export interface AppSpec {
  /** Human name used in messages: "web", "worker". */
  name: string;
  launch(): Promise<ManagedProcess>;
  /** Resolves once the process serves (health check); rejects when it exits first or never gets there. */
  waitUntilReady(app: ManagedProcess): Promise<void>;
}

export interface SupervisedApp {
  readonly name: string;
  /** Starts the first process and waits until it is ready. A failure here is a start failure, not a crash. */
  start(): Promise<void>;
  stop(graceMs?: number): Promise<void>;
}

export interface SupervisorOptions {
  policy: CrashPolicy;
  log: Log;
  /** Ends Baton: called once on a crash loop, or when a restarted process never becomes ready. */
  giveUp(reason: string): void;
}

export function superviseApp(spec: AppSpec, { policy, log, giveUp }: SupervisorOptions): SupervisedApp {
  const crashes = createCrashHistory(policy);
  let current: ManagedProcess | undefined;
  let launching: Promise<ManagedProcess> | undefined;
  let pendingRestart: NodeJS.Timeout | undefined;
  let started = false;
  let stopping = false;

  async function launch(): Promise<ManagedProcess> {
    launching = spec.launch();
    const child = await launching;
    current = child;
    void child.exited.then((exit) => onExit(child, exit));
    return child;
  }

  function onExit(child: ManagedProcess, exit: ExitInfo) {
    // Before the first ready, start() reports the failure; a stop on request is no crash.
    if (!started || stopping || child.isStopping()) return;
    const count = crashes.record(Date.now());
    const how = describeExit(exit);
    if (count >= policy.maxCrashes) {
      giveUp(crashLoopMessage(child, how, count));
      return;
    }
    const delay = restartDelayMs(count);
    log(
      `${spec.name} (pid ${child.pid}) ${how}; restarting it in ${delay / 1000} s ` +
        `(crash ${count} within ${describeWindow(policy)}; Baton stops at ${policy.maxCrashes}).`,
    );
    pendingRestart = setTimeout(() => void restart(), delay);
  }

  async function restart() {
    pendingRestart = undefined;
    if (stopping) return;
    let child: ManagedProcess;
    try {
      child = await launch();
    } catch (error) {
      giveUp(`Could not restart ${spec.name}: ${(error as Error).message}`);
      return;
    }
    try {
      await spec.waitUntilReady(child);
      log(`${spec.name} is running again (pid ${child.pid}).`);
    } catch (error) {
      // An exit before ready is a crash like any other (onExit restarts or gives up); a hang is not.
      if (child.isRunning() && !stopping) giveUp(`${spec.name} was restarted but ${(error as Error).message}`);
    }
  }

  function crashLoopMessage(child: ManagedProcess, how: string, count: number): string {
    const limits =
      `BATON_MAX_CRASHES=${policy.maxCrashes} and BATON_CRASH_WINDOW_SECONDS=${policy.windowMs / 1000} ` +
      'set this limit.';
    return (
      `${spec.name} crashed ${count} times within ${describeWindow(policy)} (last: pid ${child.pid} ${how}); ` +
      `stopping Baton instead of restarting it again.\n${describeLog(child.logFile)}\n` +
      `What to do: the log above (full log: ${child.logFile}) shows why ${spec.name} keeps failing. ` +
      `Fix that cause, then start Baton again (npm start). ${limits}`
    );
  }

  return {
    name: spec.name,
    async start() {
      const child = await launch();
      await spec.waitUntilReady(child);
      started = true;
    },
    async stop(graceMs) {
      stopping = true;
      clearTimeout(pendingRestart);
      await launching?.catch(() => undefined); // a restart being spawned right now is stopped too
      await current?.stop(graceMs);
    },
  };
}

export function describeExit({ code, signal }: ExitInfo): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}
