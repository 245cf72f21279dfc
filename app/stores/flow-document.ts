// Converting between the saved WorkflowDocument and React Flow's nodes/edges. Positions live only here.
import type { Edge, Node } from '@xyflow/react';
import type { DocumentNode, WorkflowDocument, WorkflowSettings } from '../../ir/types';

export interface BatonNodeData extends Record<string, unknown> {
  type: string;
  version: number;
  name: string;
  params: Record<string, unknown>;
  policy?: DocumentNode['policy'];
  disabled?: boolean;
  notes?: string;
}

export type BatonNode = Node<BatonNodeData, 'baton'>;
export type BatonEdge = Edge;

/** Accepts anything: a stored draft may predate a schema change, so missing parts become empty. */
export function toFlow(doc: unknown): { nodes: BatonNode[]; edges: BatonEdge[]; settings: WorkflowSettings } {
  const d = (doc ?? {}) as Partial<WorkflowDocument>;
  const nodes: BatonNode[] = (Array.isArray(d.nodes) ? d.nodes : []).map((n) => ({
    id: n.id,
    type: 'baton',
    position: { x: n.position?.x ?? 0, y: n.position?.y ?? 0 },
    data: {
      type: n.type,
      version: n.version,
      name: n.name,
      params: n.params ?? {},
      policy: n.policy,
      disabled: n.disabled,
      notes: n.notes,
    },
  }));
  const edges: BatonEdge[] = (Array.isArray(d.edges) ? d.edges : []).map((e) => ({
    id: e.id,
    source: e.source,
    sourceHandle: e.sourcePort,
    target: e.target,
    targetHandle: e.targetPort,
  }));
  return { nodes, edges, settings: d.settings ?? {} };
}

export function toDocument(nodes: BatonNode[], edges: BatonEdge[], settings: WorkflowSettings): WorkflowDocument {
  return {
    nodes: nodes.map((n) => {
      const out: DocumentNode = {
        id: n.id,
        type: n.data.type,
        version: n.data.version,
        name: n.data.name,
        position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
        params: n.data.params,
      };
      if (n.data.policy) out.policy = n.data.policy;
      if (n.data.disabled) out.disabled = true;
      if (n.data.notes) out.notes = n.data.notes;
      return out;
    }),
    edges: edges.map((e) => ({
      id: e.id,
      source: e.source,
      sourcePort: e.sourceHandle ?? 'main',
      target: e.target,
      targetPort: e.targetHandle ?? 'main',
    })),
    settings,
  };
}

/**
 * True when two states compile alike: the same nodes in the same order with the same data, the same edges and
 * settings. Moving, selecting or measuring nodes keeps `data` and changes none of this.
 */
export function sameGraph(
  a: { nodes: BatonNode[]; edges: BatonEdge[]; settings: WorkflowSettings },
  b: { nodes: BatonNode[]; edges: BatonEdge[]; settings: WorkflowSettings },
): boolean {
  return (
    a.edges === b.edges &&
    a.settings === b.settings &&
    a.nodes.length === b.nodes.length &&
    a.nodes.every((n, i) => n.id === b.nodes[i].id && n.data === b.nodes[i].data)
  );
}

export function uniqueName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base} ${i}`)) return `${base} ${i}`;
}

export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return `${prefix}_${Array.from(bytes, (b) => b.toString(36).padStart(2, '0'))
    .join('')
    .slice(0, 10)}`;
}
