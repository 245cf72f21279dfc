// One activity node of an express run, in this process: its runner under the node's timeout, attempted as
// often as its retry policy allows (with its backoff), and abandoned when the run is.
import { redactSecretFields } from '../contracts/redaction';
import { errorCode, isRetryable, nodeDeadline } from '../contracts/errors';
import type { PlanNode } from '../ir/types';
import type { RunContext } from '../nodes/define';
import { loadRunner } from '../nodes/runners';
import { openCredentialForRun } from '../db/credential-use';
import { doOnce } from '../db/effect-marks';
import { runFiles } from '../db/files';
import { runTables } from '../db/data-table-rows';
import { workspaceOfWorkflow } from '../db/workflows';
import { stepCredentials, type StepCredentials } from '../nodes/credentials/step-access';

export interface NodeCall {
  runId: string;
  workflowId: string;
  node: PlanNode;
  params: Record<string, unknown>;
  input: unknown;
  /** Aborted when the run stops: another branch failed, or the run's timeout passed. */
  signal: AbortSignal;
}

export interface NodeAttempts {
  output: unknown;
  attempt: number;
}

/** Thrown with the attempt it happened on, so the step says how many attempts were made. */
export class NodeAttemptError extends Error {
  constructor(
    readonly failure: unknown,
    readonly attempt: number,
  ) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}

export async function runActivityNode(call: NodeCall, opts: { pure?: boolean } = {}): Promise<NodeAttempts> {
  const { node } = call;
  const run = await loadRunner(node.type, node.version).catch((err: unknown) => {
    throw new NodeAttemptError(err, 1);
  });
  // A pure node (nodes/define `pure`) does bounded work without I/O under the expression budget: no timer and no
  // retry, and its failure is final at once, as in a standard run's chains (docs/decisions/027-pure-chains.md).
  if (opts.pure) {
    try {
      return { output: await run(runContext(call, 1, call.signal), call.params, call.input), attempt: 1 };
    } catch (err) {
      throw new NodeAttemptError(err, 1);
    }
  }
  const { maximumAttempts, initialIntervalMs, backoffCoefficient } = node.policy.retry;
  for (let attempt = 1; ; attempt++) {
    try {
      return { output: await attemptOnce(call, attempt, run), attempt };
    } catch (err) {
      const e = err as { retryable?: unknown };
      const last = attempt >= maximumAttempts || !isRetryable(errorCode(err), e.retryable) || call.signal.aborted;
      if (last) throw new NodeAttemptError(err, attempt);
      await pause(initialIntervalMs * backoffCoefficient ** (attempt - 1), call.signal);
    }
  }
}

async function attemptOnce(
  call: NodeCall,
  attempt: number,
  run: Awaited<ReturnType<typeof loadRunner>>,
): Promise<unknown> {
  const { node } = call;
  const abort = new AbortController();
  const onRunStop = () => abort.abort(call.signal.reason);
  call.signal.addEventListener('abort', onRunStop);
  const deadline = nodeDeadline(node, abort);
  // The run's own stop (a cancel) ends the attempt too, not only the timeout.
  const stopped = Promise.race([
    deadline.expired,
    new Promise<never>((_, reject) =>
      abort.signal.addEventListener('abort', () => reject(abort.signal.reason as Error)),
    ),
  ]);
  // As in a standard run's activity: secrets are decrypted in the attempt that uses them and scrubbed from
  // whatever the runner returns or throws.
  const credentials = stepCredentials((id) =>
    openCredentialForRun({ runId: call.runId, workflowId: call.workflowId, nodeId: node.id }, id),
  );
  try {
    return credentials.scrub(
      await Promise.race([run(runContext(call, attempt, abort.signal, credentials), call.params, call.input), stopped]),
    );
  } catch (err) {
    throw credentials.scrubError(err);
  } finally {
    deadline.clear();
    call.signal.removeEventListener('abort', onRunStop);
  }
}

function runContext(
  call: NodeCall,
  attempt: number,
  signal: AbortSignal,
  credentials?: Pick<StepCredentials, 'credential' | 'scrub'>,
): RunContext {
  const { runId, workflowId, node } = call;
  const scrub = credentials?.scrub ?? (<T>(value: T) => value);
  const log = (level: 'info' | 'warn') => (msg: string, meta?: Record<string, unknown>) =>
    console[level](
      `[express] ${runId} ${node.id}: ${scrub(msg)}`,
      JSON.stringify(redactSecretFields(scrub(meta ?? {}))),
    );
  return {
    runId,
    workflowId,
    nodeId: node.id,
    nodeName: node.name,
    idempotencyKey: `${runId}:${node.id}:0`,
    attempt,
    signal,
    heartbeat: () => undefined, // nobody watches an express node but its own timeout
    log: { info: log('info'), warn: log('warn') },
    ...(credentials ? { credential: credentials.credential } : {}),
    once: (key, effect) => doOnce(`${runId}:${node.id}:0:${key}`, effect),
    files: runFiles({ runId, workflowId, nodeId: node.id }),
    tables: runTables({ workflowId }),
    workspaceId: () => workspaceOfWorkflow(workflowId),
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
