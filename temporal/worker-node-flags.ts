// How every worker process starts (bin/lib/app-processes.ts, test/stack.ts, Dockerfile, docker-compose.yml).
// Measured with bench:loop (10,000 items, 10 at once, decision 044) and bench/run-cost.ts (a standard run's CPU):
// - `--max-semi-space-size=4`: V8's young generation grows to two 16 MB semi-spaces per isolate, and a worker has
//   three isolates (main, workflow thread, Code sandbox thread); smaller semi-spaces trade a few more, shorter
//   young-generation GCs for less resident memory.
// - `--require workflow-thread-preload.cjs`: leaves out the Temporal SDK's per-promise stack-trace hook in workflow
//   threads: 12% less worker CPU per standard run, and a smaller workflow-thread heap.
// - `--single-threaded-gc`: no parallel GC helper threads (each with its own malloc arena). On two cores they saved
//   no time: worker CPU per run 62 ms with it, 65 ms without.
// - `MALLOC_ARENA_MAX=2`: glibc otherwise gives each of the worker's ~19 threads an arena of its own, which keeps
//   what it freed (idle RSS −20 to −30 MB).
// Together: the loop's peak 320–360 MB, against 407–452 MB with the first flag alone. `--optimize-for-size` would
// reach 270 MB but costs 50% more worker CPU per run.
import { fileURLToPath } from 'node:url';

const PRELOAD = fileURLToPath(new URL('./workflow-thread-preload.cjs', import.meta.url));

export const WORKER_NODE_FLAGS = ['--max-semi-space-size=4', '--single-threaded-gc', '--require', PRELOAD];

/** Environment every worker process gets unless its caller sets these itself (read by glibc at exec). */
export const WORKER_ENV: Record<string, string> = { MALLOC_ARENA_MAX: '2' };
