// A Form node in a real run: it waits like a Wait node until its page's answers arrive through the run's validated
// Update (source `form`), refuses a Wait node's resume link and the API, becomes its answers, and works once.
// Records the `form-step` replay fixture (workflows/histories) with BATON_RECORD_HISTORIES=1.
import { compilePlan } from '../../ir/compile';
import { listSteps } from '../../db/steps';
import { resumeWait, waitForRun } from '../../temporal/client';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';

let h: RunHarness;

beforeAll(async () => {
  h = await startRunHarness('form-step');
  await h.startWorker();
}, 180_000);

afterAll(async () => {
  await h?.close();
});

const page = { id: 'Page', type: 'form', params: { title: 'Equipment', fields: [{ key: 'laptop', type: 'text' }] } };

async function running(runId: string, nodeId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await listSteps(runId)).some((s) => s.nodeId === nodeId && s.status === 'running')) {
    if (Date.now() > deadline) throw new Error(`${nodeId} never started waiting`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('waits for its page, refuses other resumes, outputs the answers, and takes them once', async () => {
  const doc = workflowDoc(
    [
      { id: 'Intake', type: 'form-trigger', params: { fields: [{ key: 'name', type: 'text' }] } },
      page,
      { id: 'After', type: 'set-fields', params: { fields: { who: '{{ $trigger.name }}' } } },
    ],
    [
      ['Intake', 'Page'],
      ['Page', 'After'],
    ],
  );
  const runId = await h.start(compileOrThrow(doc, 'wf-form-step'), { name: 'Ada' });
  await running(runId, 'Page');
  await expect(resumeWait(runId, { nodeId: 'Page', source: 'webhook', data: {} })).rejects.toThrow(
    'Form node "Page" waits for its form page, not for its resume link.',
  );
  await expect(resumeWait(runId, { nodeId: 'Page', source: 'signal', data: {} })).rejects.toThrow(
    'Form node "Page" waits for its form page, not for a resume through the API.',
  );
  await resumeWait(runId, { nodeId: 'Page', source: 'form', data: { laptop: 'Linux' } });
  await expect(resumeWait(runId, { nodeId: 'Page', source: 'form', data: { laptop: 'Mac' } })).rejects.toThrow(
    /already resumed|not running/,
  );
  const result = await waitForRun(runId, 30_000);
  await h.recordHistory('form-step', runId);
  expect(result).toEqual({ status: 'succeeded', output: { After: { laptop: 'Linux', who: 'Ada' } } });
}, 90_000);

test('a Wait node still refuses a form page’s answers', async () => {
  const doc = workflowDoc(
    [
      { id: 'Start', type: 'manual-trigger' },
      { id: 'Hold', type: 'wait', params: { mode: 'webhook', timeoutAmount: 1, timeoutUnit: 'minutes' } },
    ],
    [['Start', 'Hold']],
  );
  const runId = await h.start(compileOrThrow(doc, 'wf-form-wait'));
  await expect(resumeWait(runId, { nodeId: 'Hold', source: 'form', data: {} })).rejects.toThrow(
    'Wait node "Hold" waits for its resume link, not for its form page.',
  );
  await resumeWait(runId, { nodeId: 'Hold', source: 'webhook', data: 1 });
  expect(await waitForRun(runId, 30_000)).toEqual({ status: 'succeeded', output: { Hold: 1 } });
}, 60_000);

test('the compiler keeps a Form node out of loop bodies', () => {
  const doc = workflowDoc(
    [{ id: 'Start', type: 'manual-trigger' }, { id: 'Each', type: 'loop-over-items' }, page],
    [
      ['Start', 'Each:in'],
      ['Each:body', 'Page'],
      ['Page', 'Each:loopEnd'],
    ],
  );
  const compiled = compilePlan(doc, { workflowId: 'wf-form-loop', name: 'loop' });
  if (compiled.ok) throw new Error('A Form node in a loop body compiled');
  expect(compiled.diagnostics.map((d) => [d.code, d.message])).toContainEqual([
    'loop-wait-event',
    expect.stringContaining('a Form cannot wait for its page; move it out of the loop'),
  ]);
});
