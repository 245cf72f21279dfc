// The Temporal client side of a run: start it, wait for it, cancel or terminate it, ask how it ended.
// Used by web, worker housekeeping, CLI, tests, bench.
import {
  CancelledFailure,
  Client,
  Connection,
  TerminatedFailure,
  TimeoutFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { RunError, RunStatus } from '../contracts/run-status';
import type { Plan } from '../ir/types';
import {
  cancelSignal,
  resumeUpdate,
  type ResumeRequest,
  type RunGraphInput,
  type RunGraphResult,
} from '../workflows/messages';
import { encryptedDataConverter } from './payload-codec';
import { allTaskQueues, taskQueueName } from './queues';

let client: Promise<Client> | undefined;

export function temporalAddress(): string {
  return process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233';
}

export function temporalNamespace(): string {
  return process.env.TEMPORAL_NAMESPACE || 'default';
}

/**
 * One client per process, created on first use. With BATON_PAYLOAD_KEY set, every payload it writes or reads goes
 * through the encryption codec (temporal/payload-codec.ts), like the worker's.
 */
export function getTemporalClient(): Promise<Client> {
  client ??= Connection.connect({ address: temporalAddress() })
    .then(
      (connection) =>
        new Client({ connection, namespace: temporalNamespace(), dataConverter: encryptedDataConverter() }),
    )
    .catch((err: unknown) => {
      client = undefined;
      throw new Error(`Cannot reach Temporal at ${temporalAddress()} (TEMPORAL_ADDRESS): ${(err as Error).message}`);
    });
  return client;
}

export async function closeTemporalClient(): Promise<void> {
  const current = client;
  client = undefined;
  if (current) await (await current).connection.close();
}

/**
 * Starts the interpreter for a pinned plan. The Temporal workflow id is the run id, and an id is never
 * reused, so starting is idempotent: a second start of the same run (the launcher and the reconciler
 * racing, or a retry) finds the first execution, running or closed, and starts nothing. Returns whether
 * this call started it.
 */
export async function startRun({
  runId,
  plan,
  trigger,
  limits,
  reuse,
}: {
  runId: string;
  plan: Plan;
  trigger: unknown;
  limits?: RunGraphInput['limits'];
  /** A retry: the steps it takes over from the run it retries (temporal/run-retry.ts). */
  reuse?: RunGraphInput['reuse'];
}): Promise<boolean> {
  const input: RunGraphInput = {
    runId,
    plan,
    trigger,
    taskQueues: allTaskQueues(),
    ...(limits ? { limits } : {}),
    ...(reuse ? { reuse } : {}),
  };
  const c = await getTemporalClient();
  try {
    await c.workflow.start('runGraph', {
      workflowId: runId,
      taskQueue: taskQueueName('default'),
      args: [input],
      workflowExecutionTimeout: plan.runTimeoutMs,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

/**
 * Resolves with the run's result: one long-poll on the run's history that Temporal answers when the run
 * closes, no polling loop. The interpreter reports node failures as a result, so a thrown workflow failure
 * (terminated, timed out) is mapped to a failed result too. After `timeoutMs`, or once `signal` aborts (the
 * caller went away), the poll is cancelled, so a wait nobody needs any more holds no Temporal call open.
 */
export async function waitForRun(runId: string, timeoutMs?: number, signal?: AbortSignal): Promise<RunGraphResult> {
  const c = await getTemporalClient();
  const stop = new AbortController();
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => stop.abort(), timeoutMs);
  const onCallerGone = () => stop.abort();
  if (signal?.aborted) stop.abort();
  signal?.addEventListener('abort', onCallerGone);
  try {
    return (await c.connection.withAbortSignal(stop.signal, () =>
      c.workflow.getHandle(runId).result(),
    )) as RunGraphResult;
  } catch (err) {
    if (stop.signal.aborted)
      throw new Error(
        signal?.aborted
          ? `Stopped waiting for run ${runId}: the caller went away.`
          : `Run ${runId} did not finish within ${timeoutMs} ms.`,
      );
    if (err instanceof WorkflowFailedError) {
      return {
        status: 'failed',
        output: null,
        error: { message: `Run ${runId} ended abnormally: ${err.cause?.message ?? err.message}` },
      };
    }
    throw err;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerGone);
  }
}

/** Temporal has no running execution for the run: it finished, or was never started. */
export class RunNotRunningError extends Error {
  constructor(
    readonly runId: string,
    action: string,
  ) {
    super(`Run ${runId} is not running in Temporal (already finished or never started), so it cannot be ${action}.`);
    this.name = 'RunNotRunningError';
  }
}

/** Asks the interpreter to stop; it cancels running nodes and records the run as cancelled. */
export async function cancelRun(runId: string, reason?: string): Promise<void> {
  const c = await getTemporalClient();
  try {
    await c.workflow.getHandle(runId).signal(cancelSignal, reason);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new RunNotRunningError(runId, 'cancelled');
    throw err;
  }
}

/**
 * Ends the run's execution at once: no node or cleanup code runs any more, so the caller records the
 * run's end itself (db/run-end). `reason` lands in the Temporal history.
 */
export async function terminateRun(runId: string, reason: string): Promise<void> {
  const c = await getTemporalClient();
  try {
    await c.workflow.getHandle(runId).terminate(reason);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new RunNotRunningError(runId, 'terminated');
    throw err;
  }
}

/** What Temporal knows of a run: still running, closed with a final status, or no execution at all. */
export type TemporalRunState =
  { kind: 'running' } | { kind: 'missing' } | { kind: 'closed'; status: RunStatus; error?: RunError; output?: unknown };

/** Describes the run's execution and, once closed, reads how it ended from its close event. */
export async function temporalRunState(runId: string): Promise<TemporalRunState> {
  const handle = (await getTemporalClient()).workflow.getHandle<(input: RunGraphInput) => Promise<RunGraphResult>>(
    runId,
  );
  try {
    const description = await handle.describe();
    if (description.status.name === 'RUNNING') return { kind: 'running' };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { kind: 'missing' };
    throw err;
  }
  try {
    const result = await handle.result();
    return { kind: 'closed', status: result.status, error: result.error, output: result.output };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    return { kind: 'closed', ...closedByFailure(err) };
  }
}

function closedByFailure(err: WorkflowFailedError): { status: RunStatus; error: RunError } {
  const cause = err.cause;
  if (cause instanceof TerminatedFailure)
    return { status: 'terminated', error: { message: `Run terminated: ${cause.message}`, code: 'terminated' } };
  if (cause instanceof TimeoutFailure)
    return {
      status: 'timed-out',
      error: {
        message: 'Run timed out: it ran longer than its run timeout (settings.runTimeoutMs).',
        code: 'timed-out',
      },
    };
  if (cause instanceof CancelledFailure)
    return { status: 'cancelled', error: { message: 'Run cancelled in Temporal.', code: 'cancelled' } };
  return {
    status: 'failed',
    error: { message: `Run failed in Temporal: ${cause?.message ?? err.message}`, code: 'workflow-failed' },
  };
}

/** The run refused a resume (workflows/waits.ts): the node does not wait for it, or no longer waits. */
export class ResumeRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResumeRefusedError';
  }
}

/**
 * Resumes a waiting Wait node through the run's validated Update. Resolves once the run has accepted the resume
 * (it is in the run's history); throws ResumeRefusedError with the run's reason, or RunNotRunningError.
 */
export async function resumeWait(runId: string, request: ResumeRequest): Promise<void> {
  const c = await getTemporalClient();
  try {
    await c.workflow.getHandle(runId).executeUpdate(resumeUpdate, { args: [request] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new ResumeRefusedError(err.cause?.message ?? err.message);
    if (err instanceof WorkflowNotFoundError || isClosedError(err)) throw new RunNotRunningError(runId, 'resumed');
    throw err;
  }
}

/** An Update sent to an execution that has already closed fails with gRPC NOT_FOUND or FAILED_PRECONDITION. */
function isClosedError(err: unknown): boolean {
  const code =
    (err as { code?: unknown; cause?: { code?: unknown } }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
  const message = String((err as Error)?.message ?? '');
  return code === 5 || code === 9 || /workflow execution (already completed|not found)/i.test(message);
}
