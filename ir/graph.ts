// Graph algorithms the compiler needs, over plan edges. Deterministic: ties follow the given node order.
import type { PlanEdge } from './types';

export interface GraphEdge extends PlanEdge {
  /** The disabled node this edge bypasses, when it replaces a path across disabled nodes. */
  viaDisabled?: string;
}

/**
 * Removes disabled nodes by connecting each edge into one straight to everything the disabled node feeds
 * (through chains of disabled nodes too): a disabled node passes its input through to all its outputs.
 * Expects an acyclic graph. Edges keep document order; duplicates that rewiring creates are dropped.
 */
export function bypassDisabled(edges: PlanEdge[], disabled: ReadonlySet<string>): GraphEdge[] {
  const outgoing = new Map<string, PlanEdge[]>();
  for (const e of edges) {
    if (!outgoing.has(e.from.node)) outgoing.set(e.from.node, []);
    outgoing.get(e.from.node)!.push(e);
  }
  const memo = new Map<string, Array<PlanEdge['to']>>();
  const targets = (node: string): Array<PlanEdge['to']> => {
    const hit = memo.get(node);
    if (hit) return hit;
    memo.set(node, []); // guards against cycles, which the compiler reports before calling this
    const found = new Map<string, PlanEdge['to']>();
    for (const e of outgoing.get(node) ?? []) {
      for (const to of disabled.has(e.to.node) ? targets(e.to.node) : [e.to])
        found.set(`${to.node}\u0000${to.port}`, to);
    }
    const list = [...found.values()];
    memo.set(node, list);
    return list;
  };
  const out: GraphEdge[] = [];
  const seen = new Set<string>();
  const add = (edge: GraphEdge) => {
    const key = `${edge.from.node}\u0000${edge.from.port}\u0000${edge.to.node}\u0000${edge.to.port}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(edge);
  };
  for (const e of edges) {
    if (disabled.has(e.from.node)) continue;
    if (!disabled.has(e.to.node)) add({ from: e.from, to: e.to });
    else for (const to of targets(e.to.node)) add({ from: e.from, to, viaDisabled: e.to.node });
  }
  return out;
}

function successors(edges: PlanEdge[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!next.has(e.from.node)) next.set(e.from.node, []);
    next.get(e.from.node)!.push(e.to.node);
  }
  return next;
}

/** Node ids reachable from `start` (included). */
export function reachableFrom(start: string, edges: PlanEdge[]): Set<string> {
  const next = successors(edges);
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length) {
    for (const n of next.get(stack.pop()!) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return seen;
}

/** Strongly connected components that form cycles (more than one node, or a self-loop), iterative Tarjan. */
export function findCycles(nodes: string[], edges: PlanEdge[]): string[][] {
  const next = successors(edges);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;

  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const succ = next.get(frame.node) ?? [];
      if (frame.i < succ.length) {
        const w = succ[frame.i++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.node);
        if (component.length > 1 || succ.includes(frame.node)) {
          const order = new Map(nodes.map((n, i) => [n, i]));
          cycles.push(component.sort((a, b) => order.get(a)! - order.get(b)!));
        }
      }
    }
  }
  return cycles;
}

/** Kahn's algorithm over an acyclic graph; among ready nodes the earliest in `nodes` goes first. */
export function topologicalOrder(nodes: string[], edges: PlanEdge[]): string[] {
  const position = new Map(nodes.map((n, i) => [n, i]));
  const indegree = new Map(nodes.map((n) => [n, 0]));
  for (const e of edges) indegree.set(e.to.node, (indegree.get(e.to.node) ?? 0) + 1);
  const next = successors(edges);
  const ready = nodes.filter((n) => indegree.get(n) === 0);
  const order: string[] = [];
  while (ready.length) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const n = ready.shift()!;
    order.push(n);
    for (const m of next.get(n) ?? []) {
      const d = indegree.get(m)! - 1;
      indegree.set(m, d);
      if (d === 0) ready.push(m);
    }
  }
  return order;
}
