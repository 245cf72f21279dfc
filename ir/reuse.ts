// Which nodes a retry can take over from the run it retries: pure, over the old and the new plan. A node is
// reused when it succeeded in the old run, is unchanged (type, version, params), is fed by the same edges, and
// everything it reads (its inputs and the nodes its `$node(…)` expressions name) is itself the same as in the
// old run. Everything else runs again, so the failed node and all that is downstream of it do.
import { canonicalJson } from './canonical-json';
import type { Plan, PlanNode, PlanNodeKind } from './types';

/** Kinds whose output is taken over as recorded (their step holds all the walk needs to go on). */
const REUSABLE: readonly PlanNodeKind[] = ['activity', 'subworkflow', 'delay', 'approval'];
/**
 * Kinds the interpreter evaluates again, cheaply and without effects: with the same inputs they give the same
 * result, so they do not make what follows run again. Loops always run again whole (a failed iteration must
 * run again, and their per-iteration state is not taken over); so do Wait nodes, whose step does not say which
 * output they took.
 */
const REEVALUATED: readonly PlanNodeKind[] = ['branch', 'merge'];

export interface ReusePlan {
  /** Node ids taken over, in plan order. */
  reused: string[];
  /** Node ids that run or are evaluated again (the trigger excluded), in plan order. */
  rerun: string[];
}

/**
 * @param succeeded ids of the old run's top-level nodes whose step succeeded.
 */
export function planReuse(old: Plan, next: Plan, succeeded: ReadonlySet<string>): ReusePlan {
  const inBody = new Set(Object.values(next.nodes).flatMap((n) => n.body ?? []));
  const same = new Map<string, boolean>();
  for (const id of next.order) {
    const node = next.nodes[id];
    let result: boolean;
    if (id === next.triggerId)
      result = true; // a retry starts from the old run's trigger payload
    else if (inBody.has(id) || !unchanged(old, next, node)) result = false;
    else if (!dependencies(old, next, node)?.every((d) => same.get(d) === true)) result = false;
    else if (REUSABLE.includes(node.kind)) result = succeeded.has(id);
    else result = REEVALUATED.includes(node.kind);
    same.set(id, result);
  }
  const reused = next.order.filter((id) => same.get(id) && REUSABLE.includes(next.nodes[id].kind));
  const taken = new Set(reused);
  return { reused, rerun: next.order.filter((id) => id !== next.triggerId && !taken.has(id)) };
}

function unchanged(old: Plan, next: Plan, node: PlanNode): boolean {
  const before = old.nodes[node.id];
  return (
    before !== undefined &&
    before.type === node.type &&
    before.version === node.version &&
    before.kind === node.kind &&
    canonicalJson(before.params) === canonicalJson(node.params) &&
    incomingEdges(old, node.id) === incomingEdges(next, node.id)
  );
}

function incomingEdges(plan: Plan, id: string): string {
  return plan.edges
    .filter((e) => e.to.node === id)
    .map((e) => `${e.from.node}:${e.from.port}>${e.to.port}`)
    .sort()
    .join('|');
}

const NODE_REF = /\$node\(\s*(["'])((?:(?!\1).)*)\1\s*\)/g;

/**
 * The nodes `node` reads: its edges' sources, and the nodes its `$node("Name")` expressions name (a name that
 * is not a string literal, or that names another node in the old plan, makes it undefined: read anything).
 */
function dependencies(old: Plan, next: Plan, node: PlanNode): string[] | undefined {
  const deps = next.edges.filter((e) => e.to.node === node.id).map((e) => e.from.node);
  const text = JSON.stringify(node.params);
  const named = [...text.replaceAll('\\"', '"').matchAll(NODE_REF)].map((m) => m[2]);
  if (named.length !== text.split('$node').length - 1) return undefined;
  for (const name of named) {
    const id = idOfName(next, name);
    if (id === undefined || idOfName(old, name) !== id) return undefined;
    deps.push(id);
  }
  return deps;
}

function idOfName(plan: Plan, name: string): string | undefined {
  return Object.values(plan.nodes).find((n) => n.name === name)?.id;
}
