// Entry point of the workflow bundle (temporal/worker.ts): every workflow type Baton registers.
export { runGraph } from './interpreter';
export { runLoop } from './loops';
export { probeModel } from './model-probe';
