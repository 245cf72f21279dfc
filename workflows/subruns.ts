// Runs started by a run: an Execute workflow node's child run, and the error workflow of a failed run. Both are
// Temporal child workflows running `runGraph` on another workflow's published plan; the activity `prepareSubRun`
// picks the plan and writes the child's run record, linked to its parent (activities/subruns.ts).
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { containsBlobRef } from '../contracts/blob-ref';
import { resolveParams } from '../ir/params';
import type { Plan, PlanNode } from '../ir/types';
import { NodeError } from '../nodes/errors';
import type { RunGraphInput, RunGraphResult } from './messages';
import type { NodeExecutor, NodeOutcome } from './node-execution';

/** The child run of a node: one per node and iteration, so a replay or a retry finds the same run. */
const childRunId = (parentRunId: string, nodeId: string, iteration: number) =>
  `${parentRunId}--sub-${nodeId}-${iteration}`;
/** The error workflow's run of a failed run. */
const errorRunId = (runId: string) => `${runId}--error`;

/** How many runs up the chain started this one, read from its id (each start appends a `--sub-` or `--error`). */
const depthOf = (runId: string) => runId.split(/--(?:sub-|error$)/).length - 1;

function subrunActivities(input: RunGraphInput) {
  return proxyActivities<Activities>({
    taskQueue: input.taskQueues.default,
    startToCloseTimeout: '1m',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
  });
}

function childInput(parent: RunGraphInput, runId: string, plan: Plan, trigger: unknown): RunGraphInput {
  return { runId, plan, trigger, taskQueues: parent.taskQueues, ...(parent.limits ? { limits: parent.limits } : {}) };
}

/** An Execute workflow node. */
export async function runSubworkflow(ex: NodeExecutor, node: PlanNode): Promise<NodeOutcome> {
  const spec = ex.spec(node);
  if (spec.runtime.kind !== 'subworkflow') throw ex.kindMismatch(node, spec);
  const input = ex.graph.inputOf(node.id);
  const target = spec.runtime.target(await resolveParams(spec, node.params, ex.scope(input)));
  if (containsBlobRef(target.input))
    throw new NodeError(
      'its input holds a value over 256 KB, which cannot be handed to another workflow yet; pass what identifies it (an id, a URL) and load it there',
      { code: 'param-invalid', retryable: false },
    );
  const runId = childRunId(ex.input.runId, node.id, ex.graph.iteration);
  const startedAt = ex.now();
  await ex.records.recordSteps([ex.record(node, { status: 'running', input, startedAt })]);
  const prepared = await subrunActivities(ex.input).prepareSubRun({
    parentRunId: ex.input.runId,
    parentNodeId: node.id,
    childRunId: runId,
    depth: depthOf(ex.input.runId),
    workflowId: target.workflowId,
    version: target.version,
    trigger: target.input,
    mode: 'subworkflow',
  });
  const child = await startChild('runGraph', {
    workflowId: runId,
    taskQueue: ex.input.taskQueues.default,
    args: [childInput(ex.input, runId, prepared.plan, target.input)],
    // A child this run waits for ends with it; one it started and left goes on by itself.
    parentClosePolicy: target.wait ? ParentClosePolicy.TERMINATE : ParentClosePolicy.ABANDON,
    ...(prepared.plan.runTimeoutMs ? { workflowExecutionTimeout: prepared.plan.runTimeoutMs } : {}),
  });
  ex.countEvents(7); // activity (3) and child start, started, completed (4)
  let output: unknown = { runId, workflowId: target.workflowId, version: prepared.workflowVersion };
  if (target.wait) {
    const result = (await child.result()) as RunGraphResult;
    if (result.status !== 'succeeded')
      throw new NodeError(
        `"${prepared.workflowName}" (run ${runId}) ${result.status === 'failed' ? 'failed' : 'was cancelled'}: ${result.error?.message ?? 'no error recorded'}`,
        { code: 'subworkflow-failed', retryable: false },
      );
    if (containsBlobRef(result.output))
      throw new NodeError(
        `"${prepared.workflowName}" (run ${runId}) returned a value over 256 KB, which cannot come back to this run yet; return what identifies it instead`,
        { code: 'subworkflow-failed', retryable: false },
      );
    output = result.output;
  }
  await ex.records.recordSteps([ex.record(node, { status: 'succeeded', input, output, startedAt, endedAt: ex.now() })]);
  return { nodeId: node.id, ok: true, output, status: 'succeeded' };
}

/**
 * After a failed run: starts the error workflow's published version with the failed run's summary, and leaves it
 * running (its own failure starts no further error workflow). Failing to start it does not change how this run
 * ended; the reason is in this run's history.
 */
export async function startErrorWorkflow(
  input: RunGraphInput,
  result: RunGraphResult,
  startedAtMs: number,
): Promise<void> {
  const errorWorkflowId = input.plan.errorWorkflowId;
  if (!errorWorkflowId || result.status !== 'failed' || input.runId.endsWith('--error')) return;
  const runId = errorRunId(input.runId);
  const trigger = {
    failedRun: {
      runId: input.runId,
      workflowId: input.plan.workflowId,
      workflowName: input.plan.name,
      error: result.error ?? null,
      startedAt: new Date(startedAtMs).toISOString(),
      failedAt: new Date().toISOString(),
    },
  };
  try {
    const prepared = await subrunActivities(input).prepareSubRun({
      parentRunId: input.runId,
      parentNodeId: result.error?.nodeId ?? '',
      childRunId: runId,
      depth: depthOf(input.runId),
      workflowId: errorWorkflowId,
      version: 'latest',
      trigger,
      mode: 'error',
    });
    await startChild('runGraph', {
      workflowId: runId,
      taskQueue: input.taskQueues.default,
      args: [childInput(input, runId, prepared.plan, trigger)],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch {
    // Recorded in history as the failed activity or start; the run's own result stands.
  }
}
