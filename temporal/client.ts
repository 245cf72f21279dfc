// The Temporal client side of a run: start it, wait for it, cancel it. Used by web, CLI, tests, bench.
import { Client, Connection, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Plan } from '../ir/types';
import { cancelSignal, type RunGraphInput, type RunGraphResult } from '../workflows/messages';
import { allTaskQueues, taskQueueName } from './queues';

let client: Promise<Client> | undefined;

export function temporalAddress(): string {
  return process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233';
}

export function temporalNamespace(): string {
  return process.env.TEMPORAL_NAMESPACE || 'default';
}

/** One client per process, created on first use. */
export function getTemporalClient(): Promise<Client> {
  client ??= Connection.connect({ address: temporalAddress() })
    .then((connection) => new Client({ connection, namespace: temporalNamespace() }))
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

/** Starts the interpreter for a pinned plan. The Temporal workflow id is the run id. */
export async function startRun({
  runId,
  plan,
  trigger,
}: {
  runId: string;
  plan: Plan;
  trigger: unknown;
}): Promise<void> {
  const input: RunGraphInput = { runId, plan, trigger, taskQueues: allTaskQueues() };
  const c = await getTemporalClient();
  await c.workflow.start('runGraph', {
    workflowId: runId,
    taskQueue: taskQueueName('default'),
    args: [input],
    workflowExecutionTimeout: plan.runTimeoutMs,
  });
}

/**
 * Resolves with the run's result. The interpreter reports node failures as a result, so a thrown
 * workflow failure (terminated, timed out) is mapped to a failed result too.
 */
export async function waitForRun(runId: string, timeoutMs?: number): Promise<RunGraphResult> {
  const c = await getTemporalClient();
  const result = c.workflow
    .getHandle(runId)
    .result()
    .catch((err: unknown): RunGraphResult => {
      if (err instanceof WorkflowFailedError) {
        return {
          status: 'failed',
          output: null,
          error: { message: `Run ${runId} ended abnormally: ${err.cause?.message ?? err.message}` },
        };
      }
      throw err;
    }) as Promise<RunGraphResult>;
  if (timeoutMs === undefined) return result;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Run ${runId} did not finish within ${timeoutMs} ms.`)), timeoutMs);
  });
  try {
    return await Promise.race([result, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Asks the interpreter to stop; it cancels running nodes and records the run as cancelled. */
export async function cancelRun(runId: string, reason?: string): Promise<void> {
  const c = await getTemporalClient();
  try {
    await c.workflow.getHandle(runId).signal(cancelSignal, reason);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      throw new Error(`Run ${runId} is not running (already finished or unknown), so it cannot be cancelled.`);
    throw err;
  }
}
