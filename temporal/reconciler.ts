// The reconciler: makes run records agree with Temporal. A run can end without the interpreter recording it
// (terminated with the CLI, timed out, failed on a history limit or a long Mongo outage), and a crash in the
// launcher between writing the record and starting Temporal leaves a run queued with no execution. Both stay
// "active" forever unless someone asks Temporal. The housekeeping timer does, for active runs that have been
// quiet for a while; the cancel and terminate API ask for one run at once. See decision 020.
import { isTerminalRunStatus, type RunError, type RunStatus } from '../contracts/run-status';
import { markSeen, quietActiveRuns, untrackRun } from '../db/active-runs';
import { encodeValue } from '../db/blobs';
import { getPlan } from '../db/plans';
import { recordRunEnd } from '../db/run-end';
import { getRunUnscoped } from '../db/runs';
import { startRun, temporalRunState } from './client';

export interface ReconcileOptions {
  /** Start a queued run that has no execution (its launcher died). Off when the launcher may still be at work. */
  startQueued: boolean;
}

/**
 * Checks one run against Temporal and records what Temporal says: its end, or that it is alive.
 * Returns the run's status afterwards, undefined for an unknown run.
 */
export async function reconcileRun(runId: string, opts: ReconcileOptions): Promise<RunStatus | undefined> {
  const run = await getRunUnscoped(runId);
  if (!run) {
    // Registered, then the launcher died before writing the record: there is nothing to run.
    await untrackRun(runId);
    return undefined;
  }
  if (isTerminalRunStatus(run.status)) {
    await untrackRun(runId);
    return run.status;
  }
  const state = await temporalRunState(runId);
  if (state.kind === 'running') {
    await markSeen(runId);
    return run.status;
  }
  // The interpreter may have recorded the end while Temporal was being asked.
  const now = await getRunUnscoped(runId);
  if (!now || isTerminalRunStatus(now.status)) {
    await untrackRun(runId);
    return now?.status;
  }
  if (state.kind === 'missing') {
    if (run.status === 'queued') return opts.startQueued ? startQueuedRun(run) : 'queued';
    return end(run, 'failed', {
      message:
        'Temporal has no execution of this run (its history was deleted, or Temporal lost its data). Start it again.',
      code: 'execution-missing',
    });
  }
  const output =
    state.output === undefined
      ? undefined
      : (await encodeValue(state.output, { runId, nodeId: '$run', field: 'output' })).json;
  return end(run, state.status, state.error, output);
}

/** Checks every active run quiet since `quietMs` ago (at most `batch`); returns how many were checked. */
export async function reconcileQuietRuns(opts: { quietMs: number; batch?: number }): Promise<number> {
  const quiet = await quietActiveRuns(new Date(Date.now() - opts.quietMs), opts.batch ?? 100);
  for (const { runId } of quiet) await reconcileRun(runId, { startQueued: true });
  return quiet.length;
}

async function startQueuedRun(run: {
  runId: string;
  workflowId: string;
  planHash: string;
  trigger?: unknown;
  retryOf?: string;
  reusedNodeIds?: string[];
}): Promise<RunStatus> {
  const plan = await getPlan(run.planHash);
  if (!plan) {
    return end(run, 'failed', {
      message: `The run never started and its plan ${run.planHash} is gone, so it cannot be started now. Start a new run.`,
      code: 'plan-missing',
    });
  }
  // A retry stays a retry: the steps it was to take over are taken over now.
  const reuse =
    run.retryOf && run.reusedNodeIds?.length ? { fromRunId: run.retryOf, nodeIds: run.reusedNodeIds } : undefined;
  await startRun({ runId: run.runId, plan, trigger: run.trigger, ...(reuse ? { reuse } : {}) });
  await markSeen(run.runId);
  return 'queued';
}

async function end(
  run: { runId: string; workflowId: string },
  status: RunStatus,
  error: RunError | undefined,
  output?: string,
): Promise<RunStatus> {
  await recordRunEnd(run, status, error, { output });
  return status;
}
