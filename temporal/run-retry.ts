// Retry and re-run (contracts/retries.ts). A retry of a run that did not succeed is a new run linked to it
// (`retryOf`), on the workflow's published version or on the old run's own plan, that takes over the steps of
// the nodes ir/reuse.ts finds unchanged and runs the rest. A re-run is a new run of the same plan from the start,
// with the same trigger payload or an edited one. Both answer in HTTP terms, as run-control.ts does.
import { randomUUID } from 'node:crypto';
import type { RunView } from '../contracts/run-record';
import {
  RETRYABLE_RUN_STATUSES,
  type RetryNode,
  type RetryPlan,
  type RetryVersion,
  type SideEffectNode,
} from '../contracts/retries';
import { isTerminalRunStatus } from '../contracts/run-status';
import { getPlan } from '../db/plans';
import { createRun, setRunStatus } from '../db/runs';
import { listTopLevelStepRecords } from '../db/steps';
import { getVersion, publishedVersionOf } from '../db/workflows';
import { planReuse } from '../ir/reuse';
import type { Plan, PlanNode } from '../ir/types';
import { registry } from '../nodes/index';
import { startRun } from './client';

export type RetryAnswer<T> = { ok: true; value: T } | { ok: false; status: 404 | 409; message: string };

const refused = (status: 404 | 409, message: string) => ({ ok: false as const, status, message });

/** What a retry of `run` on `version` would take over and run again; refused unless the run can be retried. */
export async function retryPlanOf(
  run: RunView,
  version: RetryVersion,
): Promise<RetryAnswer<{ plan: RetryPlan; next: Plan }>> {
  if (!RETRYABLE_RUN_STATUSES.includes(run.status))
    return refused(
      409,
      `Run ${run.runId} is ${run.status}; only a failed, cancelled, terminated or timed-out run can be retried (re-run it instead).`,
    );
  const old = await getPlan(run.planHash);
  if (!old) return refused(409, `The plan run ${run.runId} ran is no longer stored; re-run the workflow instead.`);
  const chosen = version === 'original' ? { plan: old, workflowVersion: run.workflowVersion } : await currentPlan(run);
  if ('ok' in chosen) return chosen;
  const steps = await listTopLevelStepRecords(run.runId);
  const status = new Map(steps.map((s) => [s.nodeId, s.status]));
  const succeeded = new Set(steps.filter((s) => s.status === 'succeeded').map((s) => s.nodeId));
  const { reused, rerun } = planReuse(old, chosen.plan, succeeded);
  const next = chosen.plan;
  const describe = (id: string): RetryNode => ({ nodeId: id, name: next.nodes[id].name, type: next.nodes[id].type });
  const sideEffects: SideEffectNode[] = [];
  for (const id of rerun) {
    const previous = status.get(loopOf(next, id) ?? id);
    if (previous && previous !== 'skipped' && previous !== 'pending' && hasSideEffects(next.nodes[id]))
      sideEffects.push({ ...describe(id), previousStatus: status.get(id) ?? previous });
  }
  return {
    ok: true,
    value: {
      next,
      plan: {
        runId: run.runId,
        version,
        ...(chosen.workflowVersion !== undefined ? { workflowVersion: chosen.workflowVersion } : {}),
        planHash: next.hash,
        reused: reused.map(describe),
        rerun: rerun.map(describe),
        sideEffects,
      },
    },
  };
}

/** Starts the retry of `run` on `version`: a new run that takes over what `retryPlanOf` says it reuses. */
export async function startRetry(
  run: RunView,
  version: RetryVersion,
  startedBy: string,
): Promise<RetryAnswer<{ runId: string; plan: RetryPlan }>> {
  const planned = await retryPlanOf(run, version);
  if (!planned.ok) return planned;
  const { plan, next } = planned.value;
  const runId = await launch(run, next, plan.workflowVersion, run.trigger, startedBy, {
    fromRunId: run.runId,
    nodeIds: plan.reused.map((n) => n.nodeId),
  });
  return { ok: true, value: { runId, plan } };
}

/** Runs the old run's plan again from its trigger, with `input` as the trigger's payload when given. */
export async function startRerun(
  run: RunView,
  input: { trigger: unknown } | undefined,
  startedBy: string,
): Promise<RetryAnswer<{ runId: string }>> {
  if (!isTerminalRunStatus(run.status))
    return refused(409, `Run ${run.runId} is still ${run.status}; it can be re-run once it has ended.`);
  const plan = await getPlan(run.planHash);
  if (!plan) return refused(409, `The plan run ${run.runId} ran is no longer stored; start a new run instead.`);
  const trigger = input ? input.trigger : run.trigger;
  return { ok: true, value: { runId: await launch(run, plan, run.workflowVersion, trigger, startedBy) } };
}

async function currentPlan(run: RunView): Promise<{ plan: Plan; workflowVersion: number } | RetryAnswer<never>> {
  const workflow = await publishedVersionOf(run.workflowId);
  if (!workflow) return refused(409, `Workflow ${run.workflowId} no longer exists; it cannot be retried.`);
  if (workflow.publishedVersion === null)
    return refused(
      409,
      `Workflow ${run.workflowId} has no published version; retry on the original version (the plan this run ran).`,
    );
  const published = await getVersion(workflow.id, workflow.publishedVersion);
  const plan = published && (await getPlan(published.planHash));
  if (!plan)
    return refused(409, `The plan of version ${workflow.publishedVersion} is missing; publish the workflow again.`);
  return { plan, workflowVersion: workflow.publishedVersion };
}

/** Records the new run (queued, linked to `run`) and starts it, as app/lib/run-launcher.server.ts does. */
async function launch(
  run: RunView,
  plan: Plan,
  workflowVersion: number | undefined,
  trigger: unknown,
  startedBy: string,
  reuse?: { fromRunId: string; nodeIds: string[] },
): Promise<string> {
  const runId = `run_${randomUUID()}`;
  await createRun({
    runId,
    workspaceId: run.workspaceId!,
    workflowId: run.workflowId,
    workflowVersion,
    planHash: plan.hash,
    trigger,
    mode: 'manual',
    startedBy,
    retryOf: run.runId,
    ...(reuse && reuse.nodeIds.length > 0 ? { reusedNodeIds: reuse.nodeIds } : {}),
  });
  try {
    await startRun({ runId, plan, trigger, ...(reuse && reuse.nodeIds.length > 0 ? { reuse } : {}) });
  } catch (err) {
    await setRunStatus(runId, 'failed', {
      error: { message: `Could not start the run on Temporal: ${(err as Error).message}` },
    });
    throw err;
  }
  return runId;
}

/**
 * Whether running the node again does something outside Baton: any activity its spec does not mark pure (HTTP,
 * Send Email, Code…), an Execute workflow node (a child run), an Approval (people are asked again).
 */
function hasSideEffects(node: PlanNode): boolean {
  if (node.kind === 'subworkflow' || node.kind === 'approval') return true;
  if (node.kind !== 'activity') return false;
  const runtime = registry.get(node.type, node.version)?.runtime;
  return !(runtime?.kind === 'activity' && runtime.pure === true);
}

/** The loop whose body holds `id`: a body node ran in the old run when its loop did. */
function loopOf(plan: Plan, id: string): string | undefined {
  return Object.values(plan.nodes).find((n) => n.body?.includes(id))?.id;
}
