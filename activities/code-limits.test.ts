// A Code node that loops forever or allocates without bound fails its run with a limit error on the
// Code step, and the worker process that ran it goes on serving other runs.
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';
import type { ChildHandle } from '../test/stack';

let h: RunHarness;
let worker: ChildHandle;

beforeAll(async () => {
  h = await startRunHarness('code_limits');
  worker = await h.startWorker();
}, 180_000);

afterAll(async () => {
  await h?.close();
});

const codeRun = (code: string, params: Record<string, unknown> = {}) =>
  compileOrThrow(
    workflowDoc(
      [
        { id: 'Start', type: 'manual-trigger' },
        { id: 'Script', type: 'code', params: { code, ...params } },
      ],
      [['Start', 'Script']],
    ),
    'wf-code-limits',
  );

test('an infinite loop hits the time limit; the step fails once, with code-limit', async () => {
  const { result, steps } = await h.run(codeRun('while (true) {}', { timeoutMs: 500 }));

  expect(result).toMatchObject({ status: 'failed', error: { nodeName: 'Script', code: 'code-limit' } });
  expect(result.error!.message).toMatch(/500 ms time limit/);
  expect(steps.find((s) => s.nodeName === 'Script')).toMatchObject({
    status: 'failed',
    attempt: 1,
    error: { code: 'code-limit' },
  });
});

test('unbounded allocation hits the memory limit; the step fails once, with code-limit', async () => {
  const { result, steps } = await h.run(
    codeRun('let hoard = "x"; while (true) hoard = hoard + hoard;', { memoryMb: 16, timeoutMs: 20000 }),
  );

  expect(result).toMatchObject({ status: 'failed', error: { nodeName: 'Script', code: 'code-limit' } });
  expect(result.error!.message).toMatch(/16 MB memory limit/);
  expect(steps.find((s) => s.nodeName === 'Script')).toMatchObject({
    status: 'failed',
    attempt: 1,
    error: { code: 'code-limit' },
  });
});

test('the same worker process then runs another workflow', async () => {
  const { result } = await h.run(codeRun('return { sum: items.reduce((n, i) => n + i.v, 0) };'), [{ v: 2 }, { v: 3 }]);

  expect(result).toEqual({ status: 'succeeded', output: { Script: { sum: 5 } } });
  expect(() => process.kill(worker.pid, 0)).not.toThrow(); // still the first worker, alive
});
