// Run records agree with Temporal even when the interpreter could not record a run's end: a worker process
// with its housekeeping reconciler (checking quiet runs every 250 ms) against the real Temporal dev server.
import { getActiveRun, trackRun, untrackRun } from '../db/active-runs';
import { listRunEvents } from '../db/events';
import { savePlan } from '../db/plans';
import { createRun, getRunUnscoped, registerUnfinishedRuns, setRunStatus } from '../db/runs';
import { listSteps } from '../db/steps';
import type { RunView } from '../contracts/run-record';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';
import { getTemporalClient } from './client';

let h: RunHarness;
const QUIET_MS = 1_000;

beforeAll(async () => {
  h = await startRunHarness('reconciler');
  await h.startWorker({
    queues: ['default'],
    env: { BATON_RECONCILE_EVERY_MS: '250', BATON_RECONCILE_AFTER_MS: String(QUIET_MS) },
  });
}, 180_000);

afterAll(async () => {
  await h?.close();
});

/** Start → Wait (10 minutes): a run that sits in a durable timer. */
const waitingPlan = (settings: { runTimeoutMs?: number } = {}) =>
  compileOrThrow({
    ...workflowDoc(
      [
        { id: 'Start', type: 'manual-trigger' },
        { id: 'Wait', type: 'delay', params: { amount: 10, unit: 'minutes' } },
      ],
      [['Start', 'Wait']],
    ),
    settings,
  });

async function waitForRecord(runId: string, done: (run: RunView) => boolean, timeoutMs = 15_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await getRunUnscoped(runId);
    if (run && done(run)) return run;
    if (Date.now() > deadline) throw new Error(`Run ${runId} is ${run?.status ?? 'missing'} after ${timeoutMs} ms.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForWaitStep(runId: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await listSteps(runId)).some((s) => s.nodeId === 'Wait' && s.status === 'running')) {
    if (Date.now() > deadline) throw new Error(`Run ${runId} never reached its Delay node.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a run terminated out of band is recorded terminated with the reason, its open step failed', async () => {
  const runId = await h.start(waitingPlan());
  await waitForWaitStep(runId);

  // Quiet for longer than the threshold, yet alive in Temporal: the reconciler looks and leaves it running.
  const seenBefore = (await getActiveRun(runId))!.seenAt;
  await new Promise((r) => setTimeout(r, QUIET_MS + 1_000));
  expect((await getRunUnscoped(runId))?.status).toBe('running');
  expect((await getActiveRun(runId))!.seenAt.getTime()).toBeGreaterThan(seenBefore.getTime());

  const terminatedAt = Date.now();
  await (await getTemporalClient()).workflow.getHandle(runId).terminate('cleaned up by ops with the CLI');
  const run = await waitForRecord(runId, (r) => r.status !== 'running');
  expect(Date.now() - terminatedAt).toBeLessThan(QUIET_MS + 5_000);
  expect(run).toMatchObject({
    status: 'terminated',
    error: { code: 'terminated', message: 'Run terminated: cleaned up by ops with the CLI' },
  });
  expect(run.endedAt).toBeInstanceOf(Date);
  expect((await listSteps(runId)).find((s) => s.nodeId === 'Wait')).toMatchObject({
    status: 'failed',
    error: { code: 'terminated' },
  });
  // The reconciler writes the record, then its events: the run's comes last, soon after the record shows the end.
  let events = await listRunEvents(runId);
  for (let i = 0; i < 50 && !events.some((e) => e.kind === 'run' && e.status === 'terminated'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    events = await listRunEvents(runId);
  }
  // Order is not asserted: a late event of the interpreter may land after these, and browsers rank statuses.
  expect(events).toContainEqual(expect.objectContaining({ kind: 'run', status: 'terminated' }));
  expect(events).toContainEqual(expect.objectContaining({ kind: 'step', nodeId: 'Wait', status: 'failed' }));
  expect(await getActiveRun(runId)).toBeUndefined();
}, 60_000);

test('a run past its run timeout is recorded timed-out', async () => {
  const runId = await h.start(waitingPlan({ runTimeoutMs: 2_000 }));
  const run = await waitForRecord(runId, (r) => r.status !== 'running' && r.status !== 'queued', 20_000);
  expect(run).toMatchObject({ status: 'timed-out', error: { code: 'timed-out' } });
  expect(run.error?.message).toMatch(/run timeout/);
}, 60_000);

test('a queued run whose launcher died before starting Temporal is started from its pinned plan and trigger', async () => {
  const plan = compileOrThrow(
    workflowDoc(
      [
        { id: 'Start', type: 'manual-trigger' },
        { id: 'Echo', type: 'set-fields', params: { fields: { said: '{{ $input.say }}' } } },
      ],
      [['Start', 'Echo']],
    ),
  );
  // What `launchRun` writes before it starts Temporal; then the "crash".
  await savePlan(plan);
  const runId = `reconciler-orphan-${Date.now()}`;
  await createRun({
    runId,
    workspaceId: 'ws_test',
    workflowId: plan.workflowId,
    planHash: plan.hash,
    trigger: { say: 'hi' },
    mode: 'manual',
  });
  expect((await getRunUnscoped(runId))?.status).toBe('queued');

  const run = await waitForRecord(runId, (r) => r.status === 'succeeded' || r.status === 'failed', 30_000);
  expect(run.status).toBe('succeeded');
  expect((await listSteps(runId)).find((s) => s.nodeId === 'Echo')?.output).toMatchObject({ said: 'hi' });
  expect(await getActiveRun(runId)).toBeUndefined();
}, 60_000);

test('a queued retry whose launcher died is started as that retry, taking over the steps it was to reuse', async () => {
  const plan = compileOrThrow(
    workflowDoc(
      [
        { id: 'Start', type: 'manual-trigger' },
        { id: 'Echo', type: 'set-fields', params: { fields: { said: '{{ $input.say }}' } } },
        { id: 'Shout', type: 'set-fields', params: { fields: { loud: '{{ $input.said & "!" }}' } } },
      ],
      [
        ['Start', 'Echo'],
        ['Echo', 'Shout'],
      ],
    ),
  );
  await savePlan(plan);
  const first = await h.run(plan, { say: 'hi' });
  expect(first.result.status).toBe('succeeded');
  // What temporal/run-retry.ts writes before it starts Temporal; then the "crash". The record's own trigger differs,
  // so a run from the start would say "changed!", and the retry says what the reused Echo said.
  const runId = `reconciler-orphan-retry-${Date.now()}`;
  await createRun({
    runId,
    workspaceId: 'ws_test',
    workflowId: plan.workflowId,
    planHash: plan.hash,
    trigger: { say: 'changed' },
    mode: 'manual',
    retryOf: first.runId,
    reusedNodeIds: ['Start', 'Echo'],
  });

  const run = await waitForRecord(runId, (r) => r.status === 'succeeded' || r.status === 'failed', 30_000);
  expect([run.status, run.error?.message]).toEqual(['succeeded', undefined]);
  const steps = Object.fromEntries((await listSteps(runId)).map((s) => [s.nodeId, s]));
  expect([steps.Start.reusedFrom, steps.Echo.reusedFrom, steps.Shout.reusedFrom]).toEqual([
    first.runId,
    first.runId,
    undefined,
  ]);
  expect(steps.Shout.output).toMatchObject({ loud: 'hi!' });
}, 60_000);

test('a queued run whose plan is gone fails with a reason instead of waiting forever', async () => {
  const runId = `reconciler-no-plan-${Date.now()}`;
  await createRun({
    runId,
    workspaceId: 'ws_test',
    workflowId: 'wf-test',
    planHash: 'no-such-plan',
    trigger: {},
    mode: 'manual',
  });
  const run = await waitForRecord(runId, (r) => r.status !== 'queued');
  expect(run).toMatchObject({ status: 'failed', error: { code: 'plan-missing' } });
});

test('a registry entry whose run record was never written is dropped', async () => {
  const runId = `reconciler-unwritten-${Date.now()}`;
  await trackRun(runId, 'wf-test', 'queued', new Date(Date.now() - QUIET_MS));
  const deadline = Date.now() + 10_000;
  while (await getActiveRun(runId)) {
    if (Date.now() > deadline) throw new Error('The registry entry of a run without a record was not dropped.');
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(await getRunUnscoped(runId)).toBeUndefined();
});

test('a run left running by a Baton without the registry joins it and is reconciled', async () => {
  const runId = `reconciler-pre-registry-${Date.now()}`;
  await setRunStatus(runId, 'running', { workflowId: 'wf-test', planHash: 'h-old' });
  await untrackRun(runId); // as an older Baton left it: a running record, no registry entry
  expect(await registerUnfinishedRuns()).toBeGreaterThanOrEqual(1);
  const run = await waitForRecord(runId, (r) => r.status !== 'running');
  expect(run).toMatchObject({ status: 'failed', error: { code: 'execution-missing' } });
});
