// Starting a run is the same for the API, the editor and webhooks: pin the plan, record the run, start Temporal.
import { randomUUID } from 'node:crypto';
import type { Plan } from '../../ir/types';
import { startRun } from '../../temporal/client';
import { savePlan } from '../../db/plans';
import { createRun, setRunStatus } from '../../db/runs';

export interface LaunchInput {
  plan: Plan;
  workflowId: string;
  /** The published version run; absent for a test run of the saved draft. */
  workflowVersion?: number;
  trigger: unknown;
  mode: 'manual' | 'webhook';
  startedBy?: string;
}

export async function launchRun(input: LaunchInput): Promise<string> {
  const runId = `run_${randomUUID()}`;
  await savePlan(input.plan);
  await createRun({
    runId,
    workflowId: input.workflowId,
    workflowVersion: input.workflowVersion,
    planHash: input.plan.hash,
    trigger: input.trigger,
    mode: input.mode,
    startedBy: input.startedBy,
  });
  try {
    await startRun({ runId, plan: input.plan, trigger: input.trigger });
  } catch (err) {
    // The run record exists already; make its failure visible instead of leaving it queued forever.
    await setRunStatus(runId, 'failed', {
      error: { message: `Could not start the run on Temporal: ${(err as Error).message}` },
    });
    throw err;
  }
  return runId;
}
