// The child processes of the Browser node's code mode (child.ts). Starting one (Node, the TypeScript loader,
// QuickJS's WebAssembly) takes about half a second, so each worker process keeps one forked ahead: a run takes it,
// and a new one is forked when the run ends, for the next. A child still serves one script and is killed after it, so
// nothing of one run reaches the next. A waiting child does not keep the worker alive, and exits with it.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The child's V8 heap (its IPC messages and QuickJS's glue); QuickJS's own heap is WebAssembly memory beside it. */
const CHILD_HEAP_MB = 128;
const CHILD_ENTRY = fileURLToPath(new URL('./child.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let warm: ChildProcess | undefined;

/** Starts a child with nothing of the worker's environment (no database URL, no keys) and a capped heap. */
function forkChild(): ChildProcess {
  const child = fork(CHILD_ENTRY, [], {
    execArgv: ['--import', TSX_LOADER, `--max-old-space-size=${CHILD_HEAP_MB}`],
    env: { NODE_ENV: process.env.NODE_ENV ?? 'production' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  // A spawn failure surfaces when the child is used (its 'exit' or 'error' there); not as an unhandled event here.
  child.on('error', () => undefined);
  return child;
}

const usable = (child: ChildProcess) => child.connected && child.exitCode === null && child.signalCode === null;

/** Lets the worker exit while the child waits: its handles no longer count for Node's event loop. */
function idle(child: ChildProcess): ChildProcess {
  child.unref();
  child.channel?.unref();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  return child;
}

function busy(child: ChildProcess): ChildProcess {
  child.ref();
  child.channel?.ref();
  (child.stderr as unknown as { ref?: () => void } | null)?.ref?.();
  return child;
}

/** A child for one script: the warm one when it is ready, else a new one. */
export function takeChild(): ChildProcess {
  const ready = warm && usable(warm) ? warm : undefined;
  if (warm && !ready) void killChild(warm);
  warm = undefined;
  return busy(ready ?? forkChild());
}

/**
 * Kills a script's child once its script ended, and forks the next run's: after the run, not during it, so the
 * fork does not compete with the script for the CPU.
 */
export async function retireChild(child: ChildProcess): Promise<void> {
  await killChild(child);
  if (!warm || !usable(warm)) warm = idle(forkChild());
}

/** Kills the child unless it is gone, and resolves once it has exited (so no zombie is left behind). */
function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

/** Kills the waiting child (tests, the bench's cold figure, a worker shutting down); the next run forks anew. */
export async function dropWarmChild(): Promise<void> {
  const child = warm;
  warm = undefined;
  if (child) await killChild(child);
}
