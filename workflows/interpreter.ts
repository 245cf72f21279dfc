// The one generic workflow: walks a pinned plan. A node runs once all its incoming edges are resolved;
// if none fired it is skipped and its outgoing edges die. Independent branches run concurrently, and the
// first failure cancels the rest (fail fast).
//
// Determinism: no I/O, clocks or randomness outside Temporal's APIs (Date.now() here is workflow time;
// steps are timed with `NodeExecutor.now`).
// A change to how existing plans are walked must be guarded with `patched('<change-id>')` so runs already
// in flight replay the old way; workflows/replay.test.ts replays recorded histories to catch mistakes.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { scheduledRunPayload } from '../nodes/triggers';
import { GraphState } from './graph-state';
import { cancelSignal, progressQuery, type RunGraphInput, type RunGraphResult } from './messages';
import { NodeExecutor } from './node-execution';
import { startErrorWorkflow } from './subruns';
import { takeOverSteps } from './reuse';
import { walk } from './walk';

// Runs before this change recorded the trigger's step in a local activity of its own, after the run's start.
const RUN_START_RECORDS_TRIGGER = 'run-start-records-trigger';
// Runs before this change could end while an approval's Update handler was still saving the request.
const WAIT_FOR_UPDATE_HANDLERS = 'wait-for-update-handlers';

export async function runGraph(started: RunGraphInput): Promise<RunGraphResult> {
  // A Schedule's run (temporal/schedules.ts) is named by Temporal, and its payload is the slot it was started for.
  const info = workflowInfo();
  const input: RunGraphInput = { ...started, runId: started.runId || info.workflowId };
  if (started.schedule) {
    const slot = info.typedSearchAttributes.get(
      defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME),
    );
    input.trigger = scheduledRunPayload(slot ?? info.startTime, info.startTime);
  }
  const { runId, plan } = input;
  const graph = new GraphState(plan);
  const executor = new NodeExecutor(input, graph);
  // Node executions run in their own scope so that a failure or a cancel request stops them all at once.
  const branches = new CancellationScope();
  let cancelReason: string | undefined;

  setHandler(progressQuery, () => ({ steps: graph.snapshot() }));
  setHandler(cancelSignal, (reason) => {
    cancelReason ??= reason || 'cancelled on request';
    branches.cancel();
  });

  const runRecord = {
    runId,
    workflowId: plan.workflowId,
    planHash: plan.hash,
    ...(started.schedule
      ? { scheduled: { workflowVersion: started.schedule.workflowVersion, trigger: input.trigger } }
      : {}),
  };
  let result: RunGraphResult;
  try {
    // The trigger's step is written with the run's start, in one local activity instead of two.
    const triggerRecorded = patched(RUN_START_RECORDS_TRIGGER);
    await executor.records.recordRunStatus({
      ...runRecord,
      status: 'running',
      ...(triggerRecorded ? { steps: [executor.triggerStep()] } : {}),
    });
    const taken = await takeOverSteps(executor.records, input);
    const walked = taken.failure
      ? { failure: taken.failure, interrupted: false }
      : await walk(
          graph,
          executor,
          branches,
          () => cancelReason !== undefined,
          triggerRecorded ? { output: executor.triggerOutput() } : undefined,
          undefined,
          taken.reused,
        );
    if (walked.failure) result = { status: 'failed', output: null, error: walked.failure };
    else if (cancelReason !== undefined || walked.interrupted) result = cancelledResult(cancelReason);
    else result = { status: 'succeeded', output: graph.sinkOutputs() };
  } catch (err) {
    // The whole workflow was cancelled (a client called `handle.cancel()`).
    if (!isCancellation(err)) throw err;
    result = cancelledResult(cancelReason);
  }
  // Started before the run's end is recorded, so whoever sees the failed run finds its error run too. Only plans
  // with an error workflow (a setting newer than any recorded run) issue commands here.
  await CancellationScope.nonCancellable(() => startErrorWorkflow(input, result, info.startTime.getTime()));
  await CancellationScope.nonCancellable(() =>
    executor.records.recordRunStatus({
      ...runRecord,
      status: result.status,
      output: result.output,
      error: result.error,
    }),
  );
  // A decision (a Temporal Update, workflows/approvals.ts) can let the run finish while its handler still saves the
  // request; the run waits for it, so the decider gets the answer instead of "the workflow completed". Only plans
  // with an approval node take the patch (the plan is part of the input, so replays decide alike).
  const hasApprovals = Object.values(plan.nodes).some((n) => n.kind === 'approval' || n.kind === 'agent');
  if (hasApprovals && patched(WAIT_FOR_UPDATE_HANDLERS))
    await CancellationScope.nonCancellable(() => condition(allHandlersFinished));
  return result;
}

function cancelledResult(reason: string | undefined): RunGraphResult {
  return {
    status: 'cancelled',
    output: null,
    error: { message: `Run cancelled: ${reason ?? 'the workflow was cancelled'}`, code: 'cancelled' },
  };
}
