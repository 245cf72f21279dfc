// Lifecycle of a Baton process tree (services + web + worker): stop it all on Ctrl-C/SIGTERM, on an uncaught error,
// or when a member crashes. Supervised apps (`baton dev`'s web and worker) are restarted instead, up to a crash loop
// (docs/decisions/019-supervised-dev.md); a service or an app added with addApp stops the tree at once.
import type { ManagedProcess } from '../../temporal/services/child-process';
import { describeLog } from '../../temporal/services/child-process';
import type { RunningServices } from '../../temporal/services';
import type { Log } from '../../temporal/services/installer';
import { describeExit, superviseApp, type AppSpec, type SupervisedApp } from './app-supervisor';
import type { CrashPolicy } from './crash-policy';

export interface ProcessTree {
  setServices(services: RunningServices): void;
  /** An app whose crash stops the tree (single-process commands, the app under `baton test`). */
  addApp(app: ManagedProcess): void;
  /** An app restarted when it crashes; call start() on the result. A crash loop stops the tree. */
  supervise(spec: AppSpec, policy: CrashPolicy): SupervisedApp;
  /** A process that may exit on its own (a test runner): stopped with the tree, never counted as a crash. */
  track(task: ManagedProcess): void;
  /** Stops everything started so far without exiting. */
  stop(): Promise<void>;
  /** Stops apps (in parallel), then services, then exits the process with `code`. */
  shutdown(code: number, reason?: string): Promise<never>;
}

export interface ProcessTreeOptions {
  /** A stop on request is a success for `dev`, but an interrupted `test` run must not pass. */
  signalExitCode?: number;
  /** Last words before a shutdown exits the process (`test` prints its summary line). */
  beforeExit?: (code: number) => void;
}

export function createProcessTree(log: Log, { signalExitCode = 0, beforeExit }: ProcessTreeOptions = {}): ProcessTree {
  let services: RunningServices | undefined;
  const apps: { stop(graceMs?: number): Promise<void> }[] = [];
  let stopping = false;

  async function stop() {
    stopping = true;
    await Promise.all(apps.map((app) => app.stop(15_000)));
    await services?.stop();
  }

  async function shutdown(code: number, reason?: string): Promise<never> {
    if (stopping) return new Promise<never>(() => undefined);
    if (reason) log(reason);
    try {
      await stop();
    } catch (error) {
      log(`Could not stop everything cleanly: ${(error as Error).message}`);
      code ||= 1;
    }
    beforeExit?.(code);
    process.exit(code);
  }

  function watch(child: ManagedProcess) {
    void child.exited.then((exit) => {
      if (stopping || child.isStopping()) return;
      void shutdown(
        1,
        `${child.name} (pid ${child.pid}) ${describeExit(exit)}; stopping Baton.\n${describeLog(child.logFile)}`,
      );
    });
  }

  let firstSignalAt = 0;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (!firstSignalAt) {
        firstSignalAt = Date.now();
        void shutdown(signalExitCode, `Received ${signal}; stopping Baton…`);
        return;
      }
      // Under `npm start` one Ctrl-C arrives twice (from the terminal, and forwarded by npm); only a later one forces.
      if (Date.now() - firstSignalAt < 1500) return;
      log(`Received ${signal} again; exiting now (the watchdog stops what is left).`);
      process.exit(130);
    });
  }
  process.on('uncaughtException', (error) => void shutdown(1, `Unexpected error: ${error.stack ?? error.message}`));
  process.on(
    'unhandledRejection',
    (error) => void shutdown(1, `Unexpected error: ${(error as Error)?.stack ?? String(error)}`),
  );

  return {
    setServices(started) {
      services = started;
      started.processes.forEach(watch);
    },
    addApp(app) {
      apps.push(app);
      watch(app);
    },
    supervise(spec, policy) {
      const app = superviseApp(spec, { policy, log, giveUp: (reason) => void shutdown(1, reason) });
      apps.push(app);
      return app;
    },
    track(task) {
      apps.push(task);
    },
    stop,
    shutdown,
  };
}
