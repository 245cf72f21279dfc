// Node flags every worker process starts with (bin/lib/app-processes.ts, test/stack.ts, Dockerfile,
// docker-compose.yml). V8's young generation grows to two 16 MB semi-spaces per isolate, and a worker has three
// isolates (main, workflow thread, Code sandbox thread). With 4 MB semi-spaces, a 10,000-item loop at
// concurrency 10 peaked at 373 MB instead of 444 MB (bench:loop), for a few more, shorter, young-generation GCs.
export const WORKER_NODE_FLAGS = ['--max-semi-space-size=4'];
