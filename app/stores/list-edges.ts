// Edges that follow a list param's rows: a Switch has one output per rule, whose port id is the rule's index, so
// moving or removing a rule must move or drop the edges on that index. Otherwise a move silently reconnects an
// edge to another rule and a removal leaves an edge on a port that no longer exists (which blocks saving).
import type { BatonEdge } from './flow-document';

/** One structural edit of a list's rows, as the rows editor makes it. */
export type ListChange = { kind: 'move'; from: number; to: number } | { kind: 'remove'; index: number };

/** Where the row at `index` ends up after `change`, or null when it is gone. Indexes outside the list stay put. */
export function rowIndexAfter(change: ListChange, index: number): number | null {
  if (change.kind === 'remove') {
    if (index === change.index) return null;
    return index > change.index ? index - 1 : index;
  }
  const { from, to } = change;
  if (index === from) return to;
  if (from < to && index > from && index <= to) return index - 1;
  if (to < from && index >= to && index < from) return index + 1;
  return index;
}

const ROW_PORT = /^(0|[1-9]\d*)$/;

/**
 * The edges after `change` to the rows of the list that drives `nodeId`'s outputs: edges leaving a row's port follow
 * the row, those of a removed row are dropped, every other edge is returned as it was. Edge ids that spell out their
 * port (`e_<source>_<port>_<target>_<targetPort>`, as the editor makes them) are renamed to the new port, so that
 * reconnecting the old port later does not collide with an id that now means another one.
 */
export function remapListEdges(edges: readonly BatonEdge[], nodeId: string, change: ListChange): BatonEdge[] {
  const out: BatonEdge[] = [];
  for (const edge of edges) {
    const handle = edge.sourceHandle;
    if (edge.source !== nodeId || !handle || !ROW_PORT.test(handle)) {
      out.push(edge);
      continue;
    }
    const next = rowIndexAfter(change, Number(handle));
    if (next === null) continue;
    const port = String(next);
    if (port === handle) {
      out.push(edge);
      continue;
    }
    const target = `_${edge.target}_${edge.targetHandle ?? 'in'}`;
    const id = edge.id === `e_${nodeId}_${handle}${target}` ? `e_${nodeId}_${port}${target}` : edge.id;
    out.push({ ...edge, id, sourceHandle: port });
  }
  // A renamed id can only collide with an edge whose id was not the editor's own; keep every id unique regardless.
  const seen = new Set<string>();
  return out.map((edge) => {
    let id = edge.id;
    for (let n = 2; seen.has(id); n++) id = `${edge.id}_${n}`;
    seen.add(id);
    return id === edge.id ? edge : { ...edge, id };
  });
}
