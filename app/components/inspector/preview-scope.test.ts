// What the expression preview evaluates against, with the runtime's own evaluator: a node's top-level step, and for
// a node of a loop body its step in the iteration the run panel shows (not the `{}` of a node without a top-level step).
import { resolveTemplates } from '../../../ir/expression';
import type { StepInfo } from '../../../contracts/step-record';
import type { RunState } from '../../lib/run-view';
import { previewBasis, previewIteration } from './preview-scope';

const step = (nodeId: string, nodeName: string, input: unknown, output: unknown, iteration = 0): StepInfo => ({
  nodeId,
  nodeName,
  status: 'succeeded',
  attempt: 1,
  iteration,
  input,
  output,
});

// Start → Loop (body: Double) → Report; Double ran in three iterations.
const run: RunState = {
  run: {
    runId: 'run_1',
    workflowId: 'wf_1',
    status: 'succeeded',
    trigger: [{ n: 1 }, { n: 2 }, { n: 3 }],
    startedAt: '2026-01-01T00:00:00.000Z',
  } as RunState['run'],
  steps: {
    start: step('start', 'Start', {}, [{ n: 1 }, { n: 2 }, { n: 3 }]),
    loop: step('loop', 'Loop', [{ n: 1 }, { n: 2 }, { n: 3 }], { done: [], failed: [] }),
    report: step('report', 'Report', { done: [] }, { ok: true }),
  },
  loops: { loop: { nodeId: 'loop', iterations: 3, failed: 0, body: ['double'] } },
};
const iteration2 = {
  loop: step('loop', 'Loop', { n: 2 }, { doubled: 4 }, 2),
  double: step('double', 'Double', { n: 2 }, { doubled: 4 }, 2),
};

async function evaluate(basis: ReturnType<typeof previewBasis>, expression: string) {
  if (!basis.ready) throw new Error(`not ready: ${basis.label}`);
  return resolveTemplates(expression, basis.scope);
}

test('a body node previews against its input in the chosen iteration, and its loop node’s item there', async () => {
  const at = previewIteration(run, 'double', { loop: 2 });
  expect(at).toEqual({ loopId: 'loop', iteration: 2 });
  const basis = previewBasis(run, 'double', 'wf_1', { ...at!, steps: iteration2 });
  expect(basis.label).toBe('Preview (last run, iteration 2)');
  expect(await evaluate(basis, '{{ $input.n * 10 }}')).toBe(20);
  expect(await evaluate(basis, '{{ $node("Loop").n }}')).toBe(2);
  // Nodes outside the body keep their top-level outputs.
  expect(await evaluate(basis, '{{ $node("Start")[0].n }}')).toBe(1);
});

test('a body node waits for its iteration instead of previewing against nothing', () => {
  const at = previewIteration(run, 'double', undefined);
  expect(at).toEqual({ loopId: 'loop', iteration: 1 });
  expect(previewBasis(run, 'double', 'wf_1', at)).toEqual({ ready: false, label: 'Preview (loading iteration 1…)' });
});

test('a wanted iteration past the last is the last; the loop node and nodes outside loops use their own step', async () => {
  expect(previewIteration(run, 'double', { loop: 9 })).toEqual({ loopId: 'loop', iteration: 3 });
  expect(previewIteration(run, 'loop', { loop: 2 })).toBeUndefined();
  expect(previewIteration(run, 'report', { loop: 2 })).toBeUndefined();
  const loopBasis = previewBasis(run, 'loop', 'wf_1');
  expect(await evaluate(loopBasis, '{{ $count($input) }}')).toBe(3);
  const reportBasis = previewBasis(run, 'report', 'wf_1');
  expect(reportBasis.label).toBe('Preview (last run)');
});

test('a node that did not run says so, and previews with an empty input', async () => {
  const basis = previewBasis(run, 'new-node', 'wf_1');
  expect(basis.label).toBe('Preview (did not run in the last run; no input)');
  expect(await evaluate(basis, '{{ $input }}')).toEqual({});
  const inIteration = previewBasis(run, 'double', 'wf_1', { loopId: 'loop', iteration: 2, steps: {} });
  expect(inIteration.label).toBe('Preview (did not run in iteration 2; no input)');
  expect(previewBasis(null, 'double', 'wf_1').label).toBe('Preview (no run yet)');
});
