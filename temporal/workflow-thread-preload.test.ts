// The worker processes' preload (temporal/workflow-thread-preload.cjs, decision 044) leaves out the Temporal SDK's
// per-promise stack-trace hook in workflow threads, and BATON_WORKFLOW_STACK_TRACES=1 keeps it. Shown through what
// the hook exists for: Temporal's `__stack_trace` query on a run waiting in a Delay node, against a real worker
// process started with the production flags.
import { getTemporalClient, terminateRun } from './client';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';

let h: RunHarness;

beforeAll(async () => {
  h = await startRunHarness('thread-preload');
}, 60_000);

afterEach(() => h.stopWorkers());

afterAll(async () => {
  await h?.close();
});

const waiting = workflowDoc(
  [
    { id: 'Start', type: 'manual-trigger' },
    { id: 'Wait', type: 'delay', params: { amount: 10, unit: 'minutes' } },
  ],
  [['Start', 'Wait']],
);

/** The stack trace Temporal reports for a run of `waiting`, once the run has reached its timer. */
async function stackTraceOfWaitingRun(workflowId: string): Promise<string> {
  const runId = await h.start(compileOrThrow(waiting, workflowId));
  const handle = (await getTemporalClient()).workflow.getHandle(runId);
  try {
    for (const until = Date.now() + 60_000; ;) {
      const history = await handle.fetchHistory();
      if (history.events?.some((e) => e.timerStartedEventAttributes)) break;
      if (Date.now() > until) throw new Error(`run ${runId} never started its timer`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return await handle.query<string>('__stack_trace');
  } finally {
    await terminateRun(runId, 'test finished');
  }
}

test('a worker started with the production flags reports no workflow stack traces', async () => {
  await h.startWorker();
  expect(await stackTraceOfWaitingRun('wf-preload-off')).toBe('');
}, 120_000);

test('BATON_WORKFLOW_STACK_TRACES=1 keeps them', async () => {
  await h.startWorker({ env: { BATON_WORKFLOW_STACK_TRACES: '1' } });
  expect(await stackTraceOfWaitingRun('wf-preload-on')).toMatch(/\S/);
}, 120_000);
