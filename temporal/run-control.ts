// Stopping a run on a person's request: cancel (graceful: the interpreter cancels its nodes and records
// the run cancelled) or terminate (hard: Temporal ends the execution, and the record is written here).
// The API routes and workflow deletion use these; they answer in HTTP terms because that is who asks.
import { isTerminalRunStatus } from '../contracts/run-status';
import type { RunView } from '../contracts/run-record';
import { recordRunEnd } from '../db/run-end';
import { getRunUnscoped } from '../db/runs';
import { cancelRun, RunNotRunningError, terminateRun } from './client';
import { reconcileRun } from './reconciler';

export type ControlAnswer = { ok: true; run: RunView } | { ok: false; status: 404 | 409; message: string };

/** Sends the interpreter its cancel signal; the run is recorded cancelled once its nodes have stopped. */
export async function requestCancel(runId: string, who: string, reason?: string): Promise<ControlAnswer> {
  const run = await getRunUnscoped(runId);
  const refusal = refuse(runId, run, 'cancel');
  if (refusal) return refusal;
  const why = reason ? `${reason} (${who})` : `cancelled by ${who}`;
  try {
    await cancelRun(runId, why);
  } catch (err) {
    if (!(err instanceof RunNotRunningError)) throw err;
    return notRunning(run!, 'cancelled', `Run cancelled before it started: ${why}`, 'cancel');
  }
  return { ok: true, run: run! };
}

/** Ends the run's Temporal execution now and records it terminated, with its open steps failed. */
export async function terminateNow(runId: string, who: string, reason?: string): Promise<ControlAnswer> {
  const run = await getRunUnscoped(runId);
  const refusal = refuse(runId, run, 'terminate');
  if (refusal) return refusal;
  const why = `terminated by ${who}${reason ? `: ${reason}` : ''}`;
  try {
    await terminateRun(runId, why);
  } catch (err) {
    if (!(err instanceof RunNotRunningError)) throw err;
    return notRunning(run!, 'terminated', `Run terminated before it started: ${why}`, 'terminate');
  }
  await recordRunEnd(run!, 'terminated', { message: `Run terminated: ${why}`, code: 'terminated' });
  return { ok: true, run: (await getRunUnscoped(runId))! };
}

function refuse(runId: string, run: RunView | undefined, action: string): ControlAnswer | undefined {
  if (!run) return { ok: false, status: 404, message: `Run ${runId} does not exist.` };
  if (isTerminalRunStatus(run.status))
    return {
      ok: false,
      status: 409,
      message: `Run ${runId} already ended (${run.status}); there is nothing to ${action}.`,
    };
  return undefined;
}

/**
 * Temporal has no running execution. A queued run that never started is simply recorded as stopped; any
 * other run ended meanwhile, so its true end is recorded (as the reconciler would) and the request refused.
 */
async function notRunning(
  run: RunView,
  status: 'cancelled' | 'terminated',
  message: string,
  action: string,
): Promise<ControlAnswer> {
  const now = await reconcileRun(run.runId, { startQueued: false });
  if (now === 'queued') {
    await recordRunEnd(run, status, { message, code: status });
    return { ok: true, run: (await getRunUnscoped(run.runId))! };
  }
  return {
    ok: false,
    status: 409,
    message: `Run ${run.runId} already ended in Temporal (${now ?? 'unknown'}); there is nothing to ${action}.`,
  };
}
