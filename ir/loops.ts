// Loop bodies in the graph. A loop node (runtime kind `loop`) feeds its body from its `body` output, and the body's
// last nodes connect back into its `loopEnd` input: those back edges are the only cycles a workflow may draw. The
// compiler leaves them out of cycle checks and of the topological order, and works out each loop's body: the nodes
// reached from its `body` output without passing through the loop node again. A body is closed: nothing outside
// feeds a body node, and a body node feeds only other body nodes or its loop's `loopEnd`.
import type { NodeSpec } from '../nodes/define';
import type { GraphEdge } from './graph';
import type { Diagnostic, DocumentNode, PlanEdge } from './types';

export const LOOP_BODY_PORT = 'body';
export const LOOP_END_PORT = 'loopEnd';

interface Located {
  node: DocumentNode;
  index: number;
  spec: NodeSpec;
}

/** An edge back into a loop node's `loopEnd` input. */
export function isBackEdge(edge: PlanEdge, kindOf: (id: string) => string | undefined): boolean {
  return edge.to.port === LOOP_END_PORT && kindOf(edge.to.node) === 'loop';
}

/** The body of every loop node among `included`, in `order`; edges are the effective (disabled-free) ones. */
export function loopBodies(included: Located[], edges: GraphEdge[], order: string[]): Map<string, string[]> {
  const bodies = new Map<string, string[]>();
  for (const { node, spec } of included) {
    if (spec.runtime.kind !== 'loop') continue;
    const seen = new Set<string>();
    const stack = edges.filter((e) => e.from.node === node.id && e.from.port === LOOP_BODY_PORT).map((e) => e.to.node);
    while (stack.length) {
      const id = stack.pop()!;
      if (id === node.id || seen.has(id)) continue;
      seen.add(id);
      for (const e of edges) if (e.from.node === id) stack.push(e.to.node);
    }
    bodies.set(
      node.id,
      order.filter((id) => seen.has(id)),
    );
  }
  return bodies;
}

/** Why a loop's body cannot run as drawn: edges crossing its boundary, loops inside loops, waits for events. */
export function loopDiagnostics(included: Located[], edges: GraphEdge[], bodies: Map<string, string[]>): Diagnostic[] {
  const byId = new Map(included.map((l) => [l.node.id, l]));
  const out: Diagnostic[] = [];
  const at = (l: Located, code: string, message: string): Diagnostic => ({
    severity: 'error',
    code,
    message: `${l.node.name}: ${message}`,
    nodeId: l.node.id,
    path: ['nodes', l.index],
  });
  for (const [loopId, body] of bodies) {
    const loop = byId.get(loopId)!;
    const inBody = new Set(body);
    const reported = new Set<string>();
    const once = (id: string, d: Diagnostic) => {
      if (reported.has(id)) return;
      reported.add(id);
      out.push(d);
    };
    for (const id of body) {
      const l = byId.get(id);
      if (!l) continue;
      if (l.spec.runtime.kind === 'loop')
        once(
          id,
          at(l, 'loop-nested', `a loop inside the body of "${loop.node.name}" is not supported yet; move it out`),
        );
      const awaited = l.spec.runtime.kind === 'wait' ? l.spec.runtime.awaits(l.node.params) : undefined;
      if (awaited)
        once(
          id,
          at(
            l,
            'loop-wait-event',
            awaited === 'form'
              ? `inside the body of "${loop.node.name}" a Form cannot wait for its page; move it out of the loop`
              : `inside the body of "${loop.node.name}" a Wait can wait for a time, not for a resume`,
          ),
        );
    }
    for (const e of edges) {
      const fromBody = inBody.has(e.from.node);
      const toBody = inBody.has(e.to.node);
      if (toBody && !fromBody && !(e.from.node === loopId && e.from.port === LOOP_BODY_PORT)) {
        const source = byId.get(e.from.node);
        once(
          e.to.node,
          at(
            byId.get(e.to.node)!,
            'loop-body-entry',
            `it runs in the body of "${loop.node.name}", so it can take input only from that loop's "Each item" output or other nodes of its body, not from "${source?.node.name ?? e.from.node}"`,
          ),
        );
      }
      if (fromBody && !toBody && !(e.to.node === loopId && e.to.port === LOOP_END_PORT)) {
        const target = byId.get(e.to.node);
        once(
          e.from.node,
          at(
            byId.get(e.from.node)!,
            'loop-body-exit',
            `it runs in the body of "${loop.node.name}", so its output can go only to other nodes of the body or back into the loop's "Loop end", not to "${target?.node.name ?? e.to.node}"; take the results from the loop's "Done" output`,
          ),
        );
      }
    }
    for (const e of edges) {
      if (e.to.node !== loopId || e.to.port !== LOOP_END_PORT || inBody.has(e.from.node)) continue;
      if (e.from.node === loopId) continue; // "Each item" straight into "Loop end": an empty body
      const source = byId.get(e.from.node);
      if (source)
        once(
          source.node.id,
          at(
            source,
            'loop-end-outside',
            `only nodes of the body of "${loop.node.name}" can connect into its "Loop end"`,
          ),
        );
    }
  }
  for (const l of included) {
    if (l.spec.runtime.kind !== 'loop') continue;
    const comesBack = edges.some((e) => e.to.node === l.node.id && e.to.port === LOOP_END_PORT);
    if (!comesBack)
      out.push({
        ...at(l, 'loop-end-unconnected', 'connect the last node of its body back into its "Loop end" input'),
        incomplete: true,
      });
  }
  return out;
}
