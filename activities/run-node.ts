// The activity that executes one node: load its input, resolve its params, call its runner, record it.
import { failureOutput, goesOnAfterFailure } from '../nodes/ports';
import { CancelledFailure, Context } from '@temporalio/activity';
import type { RunError } from '../contracts/run-status';
import type { StepRecord } from '../contracts/step-record';
import { resolveParams } from '../ir/params';
import { openCredentialForRun } from '../db/credential-use';
import { doOnce } from '../db/effect-marks';
import { runFiles } from '../db/files';
import { runTables } from '../db/data-table-rows';
import { runBrowserSessions } from '../db/browser-sessions';
import { workspaceOfWorkflow } from '../db/workflows';
import { stepCredentials } from '../nodes/credentials/step-access';
import type { ActivityDeps } from './deps';
import { emitEvent } from './live-events';
import { tagRulesAsParams, tagRun } from './run-tags';
import { runContext } from './run-context';
import { browserTakeover, supersedeDeadAttempts } from './browser-takeover';
import { nodeDeadline } from '../contracts/errors';
import { describeNodeError, encodeErrorDetails, toApplicationFailure, type NodeErrorInfo } from './node-errors';
import { expressionScope, loadInput, type ExpressionSource, type StepRef } from './step-io';

export interface RunNodeInput extends ExpressionSource {
  iteration: number;
  /** The upstream executions whose outputs form this node's input (see step-io `loadInput`). */
  inputFrom: StepRef[];
}

export interface RunNodeResult {
  /** The output, or a BlobRef when it is over the blob threshold. */
  output: unknown;
  /** Set when the node failed on its last attempt with continue-on-fail: `output` is `{ error }`. */
  error?: RunError;
}

// How often a running node reports liveness; the worker throttles what reaches the server.
const HEARTBEAT_EVERY_MS = 1_000;

export function createRunNode(deps: ActivityDeps) {
  return async function runNode(req: RunNodeInput): Promise<RunNodeResult> {
    const context = Context.current();
    const { attempt } = context.info;
    const { runId, workflowId, node, iteration } = req;
    const [prior, loaded] = await Promise.all([
      attempt > 1 ? deps.store.steps.findStep(runId, node.id, iteration) : undefined,
      loadInput(deps.store, runId, req.inputFrom).catch((err: unknown) =>
        err instanceof Error ? err : new Error(String(err)),
      ),
    ]);
    // The previous attempt finished its work and recorded it, but its completion never reached Temporal.
    if (prior?.status === 'succeeded' && prior.output !== undefined) return { output: JSON.parse(prior.output) };

    const startedAt = deps.now();
    const base = { runId, nodeId: node.id, nodeName: node.name, type: node.type, iteration, attempt };
    const step = (status: 'running' | 'succeeded' | 'failed', extra: { error?: RunError; durationMs?: number } = {}) =>
      emitEvent(deps, {
        kind: 'step',
        runId,
        workflowId,
        nodeId: node.id,
        nodeName: node.name,
        iteration,
        status,
        attempt,
        at: deps.now().toISOString(),
        ...extra,
      });

    try {
      if (loaded instanceof Error) throw loaded;
      const storedInput = await deps.store.blobs.encodeValue(loaded.stored, { runId, nodeId: node.id, field: 'input' });
      await Promise.all([
        deps.store.steps.recordStep({
          ...base,
          status: 'running',
          input: storedInput.json,
          startedAt,
          scheduledAt: new Date(context.info.currentAttemptScheduledTimestampMs),
          ...(prior && prior.attempt < attempt ? { attempts: earlierAttempts(prior) } : {}),
        }),
        step('running'),
      ]);

      const output = await execute(deps, req, context, loaded.value);
      const stored = await deps.store.blobs.encodeValue(output, { runId, nodeId: node.id, field: 'output' });
      const endedAt = deps.now();
      const durationMs = endedAt.getTime() - startedAt.getTime();
      await Promise.all([
        deps.store.steps.recordStep({
          ...base,
          status: 'succeeded',
          output: stored.json,
          outputSize: stored.bytes,
          endedAt,
          durationMs,
        }),
        step('succeeded', { durationMs }),
      ]);
      await tagRun(runId, node, () => expressionScope(deps.store, { ...req, node: tagRulesAsParams(node) }, output));
      return { output: stored.ref ?? output ?? null };
    } catch (err) {
      const cancelled = err instanceof CancelledFailure;
      const info: NodeErrorInfo = cancelled
        ? { message: `Cancelled: ${err.message}`, code: 'cancelled', retryable: false }
        : describeNodeError(err);
      const error: RunError = { message: info.message, code: info.code, nodeId: node.id, nodeName: node.name };
      const endedAt = deps.now();
      const durationMs = endedAt.getTime() - startedAt.getTime();
      const final = !info.retryable || attempt >= node.policy.retry.maximumAttempts;
      const errorOutput = final && goesOnAfterFailure(node.policy) && !cancelled ? failureOutput(info) : undefined;
      const errorJson = errorOutput && JSON.stringify(errorOutput);
      const details = await storedDetails(deps, req, err);
      await Promise.all([
        deps.store.steps.recordStep({
          ...base,
          status: 'failed',
          error: { message: info.message, code: info.code },
          ...(details ? { details } : {}),
          endedAt,
          durationMs,
          ...(errorJson ? { output: errorJson, outputSize: Buffer.byteLength(errorJson) } : {}),
        }),
        step('failed', { error, durationMs }),
      ]);
      if (cancelled) throw err;
      if (errorOutput) return { output: errorOutput, error };
      throw toApplicationFailure(info);
    }
  };
}

/**
 * The failed runner's evidence (NodeError `details`), scrubbed with the error in `execute`. Evidence that cannot be
 * stored is dropped rather than hiding the failure it explains.
 */
async function storedDetails(deps: ActivityDeps, req: RunNodeInput, err: unknown): Promise<string | undefined> {
  try {
    return await encodeErrorDetails(err, deps.store.blobs, { runId: req.runId, nodeId: req.node.id });
  } catch (cause) {
    Context.current().log.warn('The failed step keeps its error but not its evidence', {
      nodeId: req.node.id,
      reason: cause instanceof Error ? cause.message : String(cause),
    });
    return undefined;
  }
}

/** The attempts before this one, for the run page's timeline: the prior record's, then the prior attempt itself. */
function earlierAttempts(prior: StepRecord): StepRecord['attempts'] {
  const { attempt, scheduledAt, startedAt, endedAt, error } = prior;
  return [...(prior.attempts ?? []), { attempt, scheduledAt, startedAt, endedAt, error }].slice(-9);
}

async function execute(deps: ActivityDeps, req: RunNodeInput, context: Context, input: unknown): Promise<unknown> {
  const { runId, workflowId, node, iteration } = req;
  const spec = deps.nodes.get(node.type, node.version);
  if (!spec) {
    throw Object.assign(
      new Error(
        `Node "${node.name}" (${node.id}) has type ${node.type}@${node.version}, which this worker does not know; deploy a worker with that node version.`,
      ),
      {
        code: 'unknown-type',
      },
    );
  }
  const params = await resolveParams(spec, node.params, await expressionScope(deps.store, req, input));
  const run = await deps.loadRunner(node.type, node.version);

  const abort = new AbortController();
  const onCancel = () => abort.abort(context.cancellationSignal.reason);
  context.cancellationSignal.addEventListener('abort', onCancel);
  const beat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  const deadline = nodeDeadline(node, abort);
  // Secrets are decrypted here, in the attempt that uses them, and scrubbed from whatever the runner returns or throws.
  const credentials = stepCredentials((id) => openCredentialForRun({ runId, workflowId, nodeId: node.id }, id));
  const ctx = runContext(context, {
    runId,
    workflowId,
    node,
    iteration,
    attempt: context.info.attempt,
    signal: abort.signal,
    heartbeat: (details) => context.heartbeat(credentials.scrub(details)),
    credential: credentials.credential,
    scrub: credentials.scrub,
    once: (key, effect) => doOnce(`${runId}:${node.id}:${iteration}:${key}`, effect),
    files: runFiles({ runId, workflowId, nodeId: node.id }),
    tables: runTables({ workflowId }),
    workspaceId: () => workspaceOfWorkflow(workflowId),
    browserSessions: runBrowserSessions({ workflowId, runId, nodeId: node.id }),
    // The person's wait happens in this attempt, which holds the page (decision 059).
    takeover: (request) =>
      browserTakeover({
        runId,
        workflowId,
        nodeId: node.id,
        nodeName: node.name,
        iteration,
        attempt: context.info.attempt,
        signal: abort.signal,
        log: ctx.log,
      })(request),
  });
  try {
    // A retry: a person may still be asked to take over the dead attempt's browser (decision 059).
    if (context.info.attempt > 1) await supersedeDeadAttempts({ runId, nodeId: node.id, iteration, log: ctx.log });
    return credentials.scrub(await Promise.race([run(ctx, params, input), deadline.expired, context.cancelled]));
  } catch (err) {
    throw credentials.scrubError(err);
  } finally {
    deadline.clear();
    clearInterval(beat);
    context.cancellationSignal.removeEventListener('abort', onCancel);
  }
}
