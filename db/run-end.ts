// Closing a run that the interpreter could not close itself: terminated (from the API or out of band),
// timed out, failed in Temporal, or never started. The interpreter records normal ends through its
// activities; this writes the same records and live events from outside the workflow.
import type { RunEvent } from '../contracts/live-events';
import type { RunError, RunStatus } from '../contracts/run-status';
import { closeApprovalsOfRun, pendingCountFor } from './approvals';
import { appendEvent, publishApprovalEvent } from './events';
import { setRunStatus } from './runs';
import { closeOpenSteps } from './steps';

/** No interpreter code runs after a hard end: its open approval requests are closed here, and their inboxes told. */
async function closeApprovals(runId: string, at: Date): Promise<void> {
  for (const { request, pendingFor } of await closeApprovalsOfRun(runId, 'cancelled', at)) {
    for (const userId of pendingFor) {
      const pendingCount = await pendingCountFor(request.workspaceId, userId);
      await publishApprovalEvent(
        { approvalId: request.id, workspaceId: request.workspaceId, status: request.status, pendingCount },
        [userId],
      ).catch((err: unknown) =>
        console.warn(`Approval event for ${request.id} was not stored: ${(err as Error).message}`),
      );
    }
  }
}

/**
 * Stores the run's final `status`, `error` and (serialized) output, fails its steps still open with the same error, and tells
 * browsers (live events are best effort: the records are the truth). The run leaves the active registry.
 */
export async function recordRunEnd(
  run: { runId: string; workflowId: string },
  status: RunStatus,
  error: RunError | undefined,
  opts: { at?: Date; output?: string } = {},
): Promise<void> {
  const at = opts.at ?? new Date();
  const stepError = error ?? { message: `The run ended (${status}) before this step finished.`, code: status };
  const closed = await closeOpenSteps(run.runId, { message: stepError.message, code: stepError.code }, at);
  await setRunStatus(run.runId, status, { error, at, output: opts.output });
  await closeApprovals(run.runId, at);
  const events: RunEvent[] = [
    ...closed.map((step): RunEvent => ({
      kind: 'step',
      runId: run.runId,
      workflowId: run.workflowId,
      nodeId: step.nodeId,
      nodeName: step.nodeName,
      iteration: step.iteration,
      status: 'failed',
      attempt: step.attempt,
      at: at.toISOString(),
      ...(step.durationMs !== undefined ? { durationMs: step.durationMs } : {}),
      error: stepError,
    })),
    {
      kind: 'run',
      runId: run.runId,
      workflowId: run.workflowId,
      status,
      at: at.toISOString(),
      ...(error ? { error } : {}),
    },
  ];
  for (const event of events) {
    await appendEvent(event).catch((err: unknown) =>
      console.warn(`Live event for run ${run.runId} was not stored: ${(err as Error).message}`),
    );
  }
}
