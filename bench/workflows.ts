// The benchmark worker's bundle: Baton's interpreter plus the hand-written baseline, side by side.
export { runGraph } from '../workflows/index';
export { baselineChain } from './baseline-workflow';
