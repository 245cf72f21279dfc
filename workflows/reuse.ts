// A retry's start (contracts/retries.ts): the steps of the nodes it takes over are copied from the old run in
// one local activity, and the walk then completes those nodes with the old outputs instead of running them.
// Only runs started with `reuse` take this path; the patch keeps it apart from every history recorded before.
import { ActivityFailure, isCancellation, patched } from '@temporalio/workflow';
import type { RunError } from '../contracts/run-status';
import type { PlanNode } from '../ir/types';
import { PORT_OF } from './approvals';
import type { RunGraphInput } from './messages';
import type { LocalActivities } from './local-activities';

const RETRY_REUSES_STEPS = 'retry-reuses-steps';

/** Nodes the walk completes without running: their output and the port it goes down (all ports when absent). */
export type ReusedOutcomes = Map<string, { output: unknown; port?: string }>;

/** The outcomes taken over, or why they could not be (the old run's steps are gone): the run then fails. */
export async function takeOverSteps(
  records: LocalActivities,
  input: RunGraphInput,
): Promise<{ reused?: ReusedOutcomes; failure?: RunError }> {
  if (!input.reuse || input.reuse.nodeIds.length === 0 || !patched(RETRY_REUSES_STEPS)) return {};
  const { fromRunId } = input.reuse;
  try {
    const steps = await records.reuseSteps({
      runId: input.runId,
      workflowId: input.plan.workflowId,
      fromRunId,
      nodeIds: input.reuse.nodeIds.filter((id) => input.plan.nodes[id] !== undefined),
    });
    const reused: ReusedOutcomes = new Map();
    for (const s of steps)
      reused.set(s.nodeId, { output: s.output, port: portOf(input.plan.nodes[s.nodeId], s.output) });
    return { reused };
  } catch (err) {
    if (isCancellation(err)) throw err;
    const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
    const detail = cause instanceof Error ? cause.message : String(cause);
    return {
      failure: {
        message: `The retry could not take over the steps of run ${fromRunId}: ${detail}`,
        code: 'retry-source-gone',
      },
    };
  }
}

/** An approval's outcome chose its output; every other node taken over succeeded, so all its outputs fire. */
function portOf(node: PlanNode, output: unknown): string | undefined {
  if (node.kind !== 'approval') return undefined;
  const status = (output as { status?: keyof typeof PORT_OF } | null)?.status;
  return status !== undefined ? PORT_OF[status] : undefined;
}
