// Outputs over the blob threshold travel through the workflow as references. Control nodes (If, Merge)
// run in the workflow, which cannot read blobs, so they must still see values: a real worker process,
// Temporal and the Mongo-protocol server, with documents compiled by the real compiler.
import { getRunUnscoped } from '../db/runs';
import type { StepView } from '../db/steps';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';

let h: RunHarness;

beforeAll(async () => {
  h = await startRunHarness('large-outputs');
  await h.startWorker();
}, 180_000);

afterAll(async () => {
  await h?.close();
});

const BIG_TEXT = 400_000;
const trigger = { id: 'Start', type: 'manual-trigger' };
/** Over 256 KB of JSON, so it is stored in GridFS and the workflow only holds its reference. */
const big = {
  id: 'Big',
  type: 'code',
  params: { code: `return { text: "x".repeat(${BIG_TEXT}), kind: "big", count: 3 };` },
};
const set = (id: string, fields: Record<string, unknown>) => ({
  id,
  type: 'set-fields',
  params: { fields, keepInput: false },
});
const code = (id: string, body: string) => ({ id, type: 'code', params: { code: body } });
const byName = (steps: StepView[]) => Object.fromEntries(steps.map((s) => [s.nodeName, s]));
const blobRef = { $batonBlob: expect.any(String), bytes: expect.any(Number), sig: expect.any(String) };

test('If reads a field of a large input and Merge (combine) joins a large and a small branch', async () => {
  const doc = workflowDoc(
    [
      trigger,
      big,
      { id: 'IsBig', type: 'if', params: { left: '{{ $input.kind }}', operator: 'equals', right: 'big' } },
      set('Small', { small: true }),
      set('Wrong', { wrong: true }),
      { id: 'Join', type: 'merge', params: { mode: 'combine' } },
      { id: 'Pile', type: 'merge', params: { mode: 'append' } },
      code('Measure', 'return { length: input.text.length, kind: input.kind, small: input.small };'),
      code('Count', 'return { first: input[0].text.length, second: input[1].small };'),
    ],
    [
      ['Start', 'Big'],
      ['Big', 'IsBig'],
      ['IsBig:true', 'Small'],
      ['IsBig:false', 'Wrong'],
      ['Big', 'Join'],
      ['Small', 'Join'],
      ['Big', 'Pile'],
      ['Small', 'Pile'],
      ['Join', 'Measure'],
      ['Pile', 'Count'],
    ],
  );
  const { runId, result, steps } = await h.run(compileOrThrow(doc, 'wf-large-control'));
  await h.recordHistory('large-output-control-nodes', runId);

  expect(result).toEqual({
    status: 'succeeded',
    output: {
      Measure: { length: BIG_TEXT, kind: 'big', small: true },
      Count: { first: BIG_TEXT, second: true },
    },
  });
  const s = byName(steps);
  expect(s.IsBig.status).toBe('succeeded');
  expect(s.Wrong.status).toBe('skipped');
  expect(s.Small).toMatchObject({ status: 'succeeded', output: { small: true } });
  // The combined object is itself over the threshold: stored as a new blob, with its full size.
  expect(s.Join.output).toEqual(blobRef);
  expect(s.Join.outputSize).toBe((s.Join.output as { bytes: number }).bytes);
  expect(s.Join.outputSize).toBeGreaterThan(BIG_TEXT);
  // Append keeps the large input as the same reference instead of copying it into a new blob.
  expect(s.Pile.output).toEqual([s.Big.output, { small: true }]);
  expect((await getRunUnscoped(runId))!.output).toEqual(result.output);
});

test('If reads a large output through $node("Name") while its own input is small', async () => {
  const doc = workflowDoc(
    [
      trigger,
      big,
      set('Tiny', { tiny: 1 }),
      { id: 'ByName', type: 'if', params: { left: '{{ $node("Big").count }}', operator: 'equals', right: 3 } },
      set('Hit', { hit: '{{ $node("Big").kind }}' }),
      set('Miss', { miss: true }),
    ],
    [
      ['Start', 'Big'],
      ['Big', 'Tiny'],
      ['Tiny', 'ByName'],
      ['ByName:true', 'Hit'],
      ['ByName:false', 'Miss'],
    ],
  );
  const { result, steps } = await h.run(compileOrThrow(doc, 'wf-large-node-ref'));

  expect(result).toEqual({ status: 'succeeded', output: { Hit: { hit: 'big' } } });
  const s = byName(steps);
  expect(s.ByName).toMatchObject({ status: 'succeeded', input: { tiny: 1 }, output: { tiny: 1 } });
  expect(s.Miss.status).toBe('skipped');
});

test('a Merge (combine) of a large value that is not an object fails the run naming the node', async () => {
  const doc = workflowDoc(
    [
      trigger,
      code('BigList', `return ["x".repeat(${BIG_TEXT})];`),
      set('Small', { small: true }),
      { id: 'Join', type: 'merge', params: { mode: 'combine' } },
    ],
    [
      ['Start', 'BigList'],
      ['Start', 'Small'],
      ['BigList', 'Join'],
      ['Small', 'Join'],
    ],
  );
  const { result } = await h.run(compileOrThrow(doc, 'wf-large-merge-error'));

  expect(result).toMatchObject({ status: 'failed', error: { nodeId: 'Join', code: 'merge-input' } });
  expect(result.error!.message).toMatch(/Node "Join" \(Join\) failed: Merge \(combine\) expects objects.*an array/);
});
