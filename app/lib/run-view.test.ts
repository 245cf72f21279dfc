// How the run panel folds API data together and lays out previews of large values.
import type { ValuePreview } from '../../contracts/step-record';
import { indentJsonPrefix, mergeStep, sizeLabel, type RunState } from './run-view';

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
