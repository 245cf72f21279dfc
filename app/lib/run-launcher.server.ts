// Starting a run is the same for the API, the editor and webhooks: pin the plan, record the run, start Temporal.
// Crash-safe without a transaction: `createRun` registers the run as active before writing its record, and the
// Temporal workflow id is the run id, started at most once. If this process dies before Temporal has the run,
// the reconciler (temporal/reconciler.ts) finds it queued without an execution and starts it from the pinned
// plan and the stored trigger.
import { randomUUID } from 'node:crypto';
import type { Plan } from '../../ir/types';
import { startRun } from '../../temporal/client';
import { savePlan } from '../../db/plans';
import { createRun, setRunStatus } from '../../db/runs';

export interface LaunchInput {
  plan: Plan;
  /** The plan is in the plans collection already (a published version's): skip the upsert. */
  planStored?: boolean;
  /** The workflow's workspace, where the run is recorded. */
  workspaceId: string;
  workflowId: string;
  /** The published version run; absent for a test run of the saved draft. */
  workflowVersion?: number;
  trigger: unknown;
  mode: 'manual' | 'webhook' | 'form' | 'chat';
  startedBy?: string;
  /** The run's id when the caller needs it first (a form stores its uploads as files of the run); from `newRunId`. */
  runId?: string;
}

export const newRunId = () => `run_${randomUUID()}`;

export async function launchRun(input: LaunchInput): Promise<string> {
  const runId = input.runId ?? newRunId();
  if (!input.planStored) await savePlan(input.plan);
  await createRun({
    runId,
    workspaceId: input.workspaceId,
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
    // The caller is told the run did not start, so the reconciler must not start it later either.
    await setRunStatus(runId, 'failed', {
      error: { message: `Could not start the run on Temporal: ${(err as Error).message}` },
    });
    throw err;
  }
  return runId;
}
