// "Tag run" in standard runs: once a node has succeeded, its tags are evaluated on its output (ir/run-tags.ts) and
// added to the run's record (db/run-tags.ts). Tags are metadata: storing them never fails the node.
import type { ExpressionScope } from '../ir/expression';
import { evaluateRunTags, tagRulesOf } from '../ir/run-tags';
import type { Plan, PlanNode } from '../ir/types';
import type { WorkflowStep } from '../contracts/step-record';
import { addRunTags } from '../db/run-tags';
import type { ActivityDeps } from './deps';
import { loadNodeOutput } from './step-io';

export { tagRulesAsParams } from '../ir/run-tags';

/** Evaluates the node's tags over its output and stores them on the run; nothing happens for a node without any. */
export async function tagRun(runId: string, node: PlanNode, scope: () => Promise<ExpressionScope>): Promise<void> {
  if (tagRulesOf(node).length === 0) return;
  try {
    const tags = await evaluateRunTags(node, await scope());
    if (Object.keys(tags).length > 0) await addRunTags(runId, tags);
  } catch (err) {
    console.warn(`Tag run on node "${node.name}" (${node.id}) of run ${runId}: ${(err as Error).message}`);
  }
}

const plans = new Map<string, Promise<Plan | undefined>>();
const PLANS_KEPT = 200;

/** A plan by hash, kept in memory: plans never change, and run starts of one workflow share one. */
function cachedPlan(deps: ActivityDeps, hash: string): Promise<Plan | undefined> {
  let plan = plans.get(hash);
  if (!plan) {
    if (plans.size >= PLANS_KEPT) plans.delete(plans.keys().next().value!);
    plan = deps.store.plans.getPlan(hash).catch(() => undefined);
    plans.set(hash, plan);
  }
  return plan;
}

/** Which plan a run follows, as this worker has seen it (run starts go through `recordRunStatus`). */
const runPlans = new Map<string, string>();
const RUN_PLANS_KEPT = 2_000;

export function rememberRunPlan(runId: string, planHash: string): void {
  if (runPlans.has(runId)) return;
  if (runPlans.size >= RUN_PLANS_KEPT) runPlans.delete(runPlans.keys().next().value!);
  runPlans.set(runId, planHash);
}

/**
 * Tags from the steps of nodes the workflow runs itself (control nodes: If, Merge, Switch, Wait, Loop, Approval…),
 * recorded through `recordSteps`. Their plan is known from the run's start on this worker, or read from the run's
 * record once (a worker that started after the run did).
 */
export async function tagControlSteps(deps: ActivityDeps, steps: WorkflowStep[]): Promise<void> {
  const done = steps.filter((s) => s.status === 'succeeded' && s.output !== undefined);
  for (const runId of new Set(done.map((s) => s.runId))) {
    const ofRun = done.filter((s) => s.runId === runId);
    let planHash = runPlans.get(runId);
    if (!planHash) {
      planHash = (await deps.store.runs.getRunUnscoped(runId).catch(() => undefined))?.planHash;
      if (!planHash) continue;
      rememberRunPlan(runId, planHash);
    }
    await tagWorkflowSteps(deps, { runId, workflowId: ofRun[0].workflowId, planHash }, ofRun);
  }
}

/**
 * Tags from the steps the workflow records itself (the trigger's, with the run's start; control nodes'): their
 * nodes' rules are read from the run's plan, since a workflow step carries no policy.
 */
export async function tagWorkflowSteps(
  deps: ActivityDeps,
  run: { runId: string; workflowId: string; planHash: string },
  steps: WorkflowStep[],
): Promise<void> {
  const done = steps.filter((s) => s.status === 'succeeded' && s.output !== undefined);
  if (done.length === 0) return;
  const plan = await cachedPlan(deps, run.planHash);
  for (const step of done) {
    const node = plan?.nodes[step.nodeId];
    if (!node) continue;
    await tagRun(run.runId, node, async () => ({
      input: step.output,
      trigger: step.nodeId === plan.triggerId ? step.output : undefined,
      node: (name: string) => loadNodeOutput(deps.store, run.runId, name),
      run: { id: run.runId, workflowId: run.workflowId },
    }));
  }
}
