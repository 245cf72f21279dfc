// Node flags every worker process starts with (bin/lib/app-processes.ts, test/stack.ts, Dockerfile,
// docker-compose.yml).
// - `--max-semi-space-size=4`: V8's young generation grows to two 16 MB semi-spaces per isolate, and a worker has
//   three isolates (main, workflow thread, Code sandbox thread); smaller semi-spaces trade a few more, shorter
//   young-generation GCs for less resident memory.
// - `--require workflow-thread-preload.cjs`: leaves out the Temporal SDK's per-promise stack-trace hook in workflow
//   threads (decision 044): bench:loop (10,000 items, 10 at once) went from 176–190 to 249 iterations/s and its
//   peak from 414–458 to 388 MB.
import { fileURLToPath } from 'node:url';

const PRELOAD = fileURLToPath(new URL('./workflow-thread-preload.cjs', import.meta.url));

export const WORKER_NODE_FLAGS = ['--max-semi-space-size=4', '--require', PRELOAD];
