// Chains of pure nodes (nodes/define.ts `pure`, e.g. Set fields) run as one local activity instead of one
// activity each: a round trip through the Temporal server per node costs far more than the node itself.
// See docs/decisions/027-pure-chains.md.
import { patched } from '@temporalio/workflow';
import type { PureNodeResult } from '../activities';
import type { LocalActivities } from './local-activities';
import type { PlanNode } from '../ir/types';
import type { Runtime } from '../nodes/define';
import { registry } from '../nodes/index';
import type { GraphState } from './graph-state';
import type { RunGraphInput } from './messages';
import type { NodeOutcome } from './node-execution';
import { nodeFailure } from './run-errors';
import { failurePort, goesOnAfterFailure } from '../nodes/ports';

/** Runs before this change ran every pure node as an activity of its own; they replay so. */
export const PURE_CHAINS = 'pure-chains-local';

/** Runs before this change ran nodes that may run locally (a Code node within its default time limit) as activities. */
export const LOCAL_NODES_IN_CHAINS = 'local-nodes-in-chains';

/** The activity runtime of the node's spec, when the plan node runs as an activity. */
function activityRuntime(node: PlanNode): Extract<Runtime, { kind: 'activity' }> | undefined {
  const runtime = registry.get(node.type, node.version)?.runtime;
  return node.kind === 'activity' && runtime?.kind === 'activity' ? runtime : undefined;
}

/** Whether the plan node runs as an activity of a node type whose spec declares it pure. */
export function isPure(node: PlanNode): boolean {
  return activityRuntime(node)?.pure === true;
}

/**
 * Whether the node may run locally with its params (nodes/define.ts `localWhen`). The patch is consulted only for
 * such nodes, so runs without them record no marker.
 */
function runsLocally(node: PlanNode): boolean {
  const localWhen = activityRuntime(node)?.localWhen;
  return localWhen !== undefined && localWhen(node.params) && patched(LOCAL_NODES_IN_CHAINS);
}

/** Whether a ready node starts a chain, as the version of the interpreter that started the run decided. */
export function startsChain(node: PlanNode): boolean {
  return isPure(node) ? patched(PURE_CHAINS) : runsLocally(node);
}

/** The longest chain from `first`: each next node is pure or runs locally, and is fed by the one before it alone. */
export function pureChainFrom(graph: GraphState, first: string): string[] {
  const chain = [first];
  for (let next = graph.soleSuccessor(first); next !== undefined; next = graph.soleSuccessor(next)) {
    const node = graph.node(next);
    if (!isPure(node) && !runsLocally(node)) break;
    chain.push(next);
  }
  return chain;
}

/**
 * Evaluates the chain `ids` in one local activity. Returns an outcome per node evaluated, in order: fewer
 * than `ids` after a failure, or when the activity stopped at its budget (the walk starts the rest again);
 * and when, in real time, its last node had started.
 */
export async function executePureChain(
  local: LocalActivities,
  input: RunGraphInput,
  graph: GraphState,
  ids: string[],
): Promise<{ outcomes: NodeOutcome[]; finishedAt: number }> {
  const nodes = ids.map((id) => graph.node(id));
  // The activity reads `$node(…)` outputs of earlier nodes from step records; it needs to know which executions.
  const nodeRefs = nodes.some((n) => JSON.stringify(n.params).includes('$node')) ? graph.executedRefs() : undefined;
  const waitNodes = nodes.some((n) => JSON.stringify(n.params).includes('$resumeUrl')) ? graph.waitNodes() : undefined;
  const { results, finishedAt } = await local.runPureChain({
    runId: input.runId,
    workflowId: input.plan.workflowId,
    triggerNodeId: input.plan.triggerId,
    nodes,
    inputFrom: graph.firedRefs(ids[0]),
    ...(graph.iteration ? { iteration: graph.iteration } : {}),
    nodeRefs,
    ...(waitNodes ? { waitNodes } : {}),
  });
  return { outcomes: results.map((result, i) => outcomeOf(nodes[i], result)), finishedAt };
}

/** What a chain node's result means to the walk: its output, the output of a failure it goes on after, or a failure. */
export function outcomeOf(node: PlanNode, result: PureNodeResult): NodeOutcome {
  if (!result.error) return { nodeId: node.id, ok: true, output: result.output, status: 'succeeded' };
  if (goesOnAfterFailure(node.policy))
    return { nodeId: node.id, ok: true, output: result.output, status: 'failed', port: failurePort(node.policy) };
  const error = nodeFailure(node, result.error.message, result.error.code);
  return { nodeId: node.id, ok: false, error, cancelled: false };
}
