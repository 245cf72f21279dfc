// How the run panel folds API data together and lays out previews of large values.
import type { ValuePreview } from '../../contracts/step-record';
import type { RunEvent } from '../../contracts/live-events';
import {
  applyRunEvent,
  clampIteration,
  indentJsonPrefix,
  loopOfNode,
  loopTally,
  mergeStep,
  sizeLabel,
  withLoops,
  type LoopSummary,
  type RunState,
} from './run-view';

test('a preview indents like JSON.stringify(value, null, 2), however it is cut', () => {
  const value = { a: 1, b: [1, 2, { c: 'x,y:{["' }], d: {}, e: [], f: 'q"\\', g: [{}, [[]]] };
  const compact = JSON.stringify(value);
  expect(indentJsonPrefix(compact)).toBe(JSON.stringify(value, null, 2));
  for (let cut = 0; cut < compact.length; cut++) {
    expect(JSON.stringify(value, null, 2).startsWith(indentJsonPrefix(compact.slice(0, cut)).trimEnd())).toBe(true);
  }
});

test('a step value arriving as a preview replaces the whole value, and the other way round', () => {
  const preview: ValuePreview = { truncated: true, bytes: 400_011, preview: '{"text":"xx', download: '/x' };
  const step = { nodeId: 'n', nodeName: 'N', status: 'succeeded' as const, attempt: 1 };
  let state: RunState = { run: { runId: 'r', workflowId: 'w', status: 'running' }, steps: {} };
  state = mergeStep(state, { ...step, output: { small: true } });
  state = mergeStep(state, { ...step, outputPreview: preview });
  expect(state.steps.n.output).toBeUndefined();
  expect(state.steps.n.outputPreview).toEqual(preview);
  state = mergeStep(state, { ...step, output: { small: true } });
  expect(state.steps.n).toMatchObject({ output: { small: true } });
  expect(state.steps.n.outputPreview).toBeUndefined();
});

test('sizes read as people write them', () => {
  expect([sizeLabel(900), sizeLabel(16 * 1024), sizeLabel(421_888), sizeLabel(3_500_000)]).toEqual([
    '900 B',
    '16 KB',
    '412 KB',
    '3.3 MB',
  ]);
});

const loop: LoopSummary = { nodeId: 'L', iterations: 10_000, failed: 2, body: ['X', 'Y'] };
const stepEvent = (nodeId: string, status: 'running' | 'succeeded' | 'failed', iteration?: number): RunEvent => ({
  kind: 'step',
  runId: 'r',
  workflowId: 'w',
  nodeId,
  nodeName: nodeId,
  status,
  attempt: 1,
  at: '2024-01-01T00:00:00.000Z',
  ...(iteration === undefined ? {} : { iteration }),
});

test("a loop iteration's events never overwrite the top-level steps", () => {
  const running = { nodeId: 'L', nodeName: 'L', status: 'running' as const, attempt: 1, iteration: 0 };
  let state: RunState = { run: { runId: 'r', workflowId: 'w', status: 'running' }, steps: {} };
  // An event that says its iteration is set aside when it is not 0, whatever the loops are.
  expect(applyRunEvent(state, stepEvent('L', 'succeeded', 4))).toBe(state);
  expect(applyRunEvent(state, stepEvent('t', 'succeeded', 0)).steps.t.status).toBe('succeeded');
  // Before the loops are known, an event without an iteration lands; the API's summary then puts it right.
  state = applyRunEvent(state, stepEvent('X', 'failed'));
  state = applyRunEvent(state, stepEvent('L', 'succeeded'));
  state = withLoops(state, [loop], [running]);
  expect(state.steps).toEqual({ L: running });
  // Once known, events without an iteration about a loop or body node are set aside; others still land.
  expect(applyRunEvent(state, stepEvent('Y', 'succeeded'))).toBe(state);
  expect(applyRunEvent(state, stepEvent('L', 'failed'))).toBe(state);
  expect(applyRunEvent(state, stepEvent('After', 'running')).steps.After.status).toBe('running');
});

test('a node belongs to its own loop or to the loop whose body holds it', () => {
  const loops = { L: loop };
  expect([loopOfNode(loops, 'L'), loopOfNode(loops, 'Y'), loopOfNode(loops, 't'), loopOfNode(undefined, 'X')]).toEqual([
    loop,
    loop,
    undefined,
    undefined,
  ]);
});

test('a wanted iteration is brought into range, and the tally reads like the canvas shows it', () => {
  expect([clampIteration(0, 10), clampIteration(11, 10), clampIteration(3, 10), clampIteration(5, 0)]).toEqual([
    1, 10, 3, 1,
  ]);
  expect([clampIteration(NaN, 10, 4), clampIteration(2.5, 10, 4), clampIteration(NaN, 3, 9)]).toEqual([4, 4, 3]);
  expect(loopTally(loop)).toBe('✓ 9,998 · ✗ 2');
  expect(loopTally({ iterations: 3, failed: 0 })).toBe('✓ 3');
});
