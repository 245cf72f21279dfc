// Node flags every worker process starts with (bin/lib/app-processes.ts, test/stack.ts, Dockerfile,
// docker-compose.yml). V8's young generation grows to two 16 MB semi-spaces per isolate, and a worker has three
// isolates (main, workflow thread, Code sandbox thread); smaller semi-spaces trade a few more, shorter
// young-generation GCs for less resident memory. Measured with bench:loop (10,000 items, concurrency 10), peaks
// vary with the pace: 373 MB at 13 iterations/s on a loaded machine, 444 MB at 55 iterations/s, the same as without
// the flag at that pace. The loop's peak is therefore mostly not young-generation memory; see the closing notes.
export const WORKER_NODE_FLAGS = ['--max-semi-space-size=4'];
