// An express run is stored once, when it has ended: all its steps in one bulk write, then its run record in one
// insert, then one live `run` event. Steps go first, so whoever sees the finished run can read its steps.
import type { RunError } from '../contracts/run-status';
import type { StepRecord } from '../contracts/step-record';
import { appendEvent } from '../db/events';
import { recordFinishedRun } from '../db/runs';
import { recordFinishedSteps } from '../db/steps';
import type { ExpressRunInput } from './run-express';

export interface FinishedExpressRun {
  runId: string;
  input: ExpressRunInput;
  status: 'succeeded' | 'failed';
  startedAt: Date;
  steps: StepRecord[];
  /** The run's output as stored (JSON, large values as blob references); absent when it failed. */
  outputJson?: string;
  error?: RunError;
}

export async function recordExpressRun(run: FinishedExpressRun): Promise<void> {
  const { input } = run;
  const endedAt = new Date();
  await recordFinishedSteps(run.steps);
  await recordFinishedRun({
    runId: run.runId,
    workflowId: input.workflowId,
    workflowVersion: input.workflowVersion,
    planHash: input.plan.hash,
    mode: input.mode,
    trigger: JSON.stringify(input.trigger ?? null),
    status: run.status,
    ...(run.outputJson === undefined ? {} : { output: run.outputJson }),
    ...(run.error ? { error: run.error } : {}),
    startedAt: run.startedAt,
    endedAt,
  });
  await appendEvent({
    kind: 'run',
    runId: run.runId,
    workflowId: input.workflowId,
    status: run.status,
    at: endedAt.toISOString(),
    ...(run.error ? { error: run.error } : {}),
  });
}
