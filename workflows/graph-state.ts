// The interpreter's view of one run: which edges carry data, which nodes are done, and their outputs.
// Pure and deterministic; the interpreter owns all Temporal calls.
import type { Plan, PlanNode } from '../ir/types';
import type { StepStatus } from '../contracts/run-status';
import { ERROR_PORT } from '../nodes/ports';

/** `fired` edges carry their source's output; `dead` ones belong to a branch not taken or a skipped node. */
export type EdgeState = 'pending' | 'fired' | 'dead';

export class GraphState {
  readonly status: Record<string, StepStatus> = {};
  private readonly edgeState: EdgeState[];
  private readonly outputs = new Map<string, unknown>();
  private readonly incoming = new Map<string, number[]>();
  private readonly outgoing = new Map<string, number[]>();
  private readonly idByName = new Map<string, string>();
  private readonly started = new Set<string>();

  constructor(private readonly plan: Plan) {
    this.edgeState = plan.edges.map(() => 'pending');
    for (const id of plan.order) {
      this.status[id] = 'pending';
      this.incoming.set(id, []);
      this.outgoing.set(id, []);
      this.idByName.set(plan.nodes[id].name, id);
    }
    plan.edges.forEach((edge, i) => {
      this.outgoing.get(edge.from.node)?.push(i);
      this.incoming.get(edge.to.node)?.push(i);
    });
  }

  get triggerId(): string {
    return this.plan.triggerId;
  }

  node(id: string): PlanNode {
    return this.plan.nodes[id];
  }

  /** Not yet started nodes whose incoming edges are all resolved, in plan order (the trigger is started by hand). */
  readyNodes(): string[] {
    return this.plan.order.filter(
      (id) =>
        !this.started.has(id) &&
        id !== this.plan.triggerId &&
        this.incoming.get(id)!.every((e) => this.edgeState[e] !== 'pending'),
    );
  }

  markStarted(id: string, status: StepStatus = 'running'): void {
    this.started.add(id);
    this.status[id] = status;
  }

  /** Puts a node marked started back to pending: a pure chain stopped before it (see workflows/pure-chain.ts). */
  release(id: string): void {
    this.started.delete(id);
    this.status[id] = 'pending';
  }

  /** The node `id` alone feeds: `id` has one outgoing edge, and it is that node's only incoming edge. */
  soleSuccessor(id: string): string | undefined {
    const out = this.outgoing.get(id)!;
    if (out.length !== 1) return undefined;
    const next = this.plan.edges[out[0]].to.node;
    return this.incoming.get(next)!.length === 1 ? next : undefined;
  }

  /** True when no incoming edge fired, so the node cannot run (a node without inputs is unreachable). */
  allInputsDead(id: string): boolean {
    return this.incoming.get(id)!.every((e) => this.edgeState[e] === 'dead');
  }

  /** Source node ids of the fired incoming edges, ordered by target port (as the spec lists them), then edge order. */
  firedSources(id: string, portOrder: string[] = []): string[] {
    const rank = (port: string) => {
      const i = portOrder.indexOf(port);
      return i === -1 ? portOrder.length : i;
    };
    return this.incoming
      .get(id)!
      .filter((e) => this.edgeState[e] === 'fired')
      .sort((a, b) => rank(this.plan.edges[a].to.port) - rank(this.plan.edges[b].to.port) || a - b)
      .map((e) => this.plan.edges[e].from.node);
  }

  /** A node's input: the one fired upstream output, or an array of them when several edges fired. */
  inputOf(id: string): unknown {
    const values = this.firedSources(id).map((source) => this.outputs.get(source));
    return values.length === 1 ? values[0] : values;
  }

  output(id: string): unknown {
    return this.outputs.get(id);
  }

  hasOutput(id: string): boolean {
    return this.outputs.has(id);
  }

  /** The execution of every node that has an output, by node name. */
  executedRefs(): Record<string, { nodeId: string; iteration: number }> {
    const refs: Record<string, { nodeId: string; iteration: number }> = {};
    for (const id of this.outputs.keys()) refs[this.plan.nodes[id].name] = { nodeId: id, iteration: 0 };
    return refs;
  }

  idOfName(name: string): string | undefined {
    return this.idByName.get(name);
  }

  /** Records a finished node and resolves its outgoing edges: all fire, or only those leaving `port` (or ports). */
  complete(id: string, output: unknown, status: StepStatus, port?: string | readonly string[]): void {
    this.status[id] = status;
    this.outputs.set(id, output);
    // A node that succeeds sends its output down every output but `error` (nodes/ports.ts ERROR_PORT).
    const fires = (from: string) =>
      port === undefined ? from !== ERROR_PORT.id : typeof port === 'string' ? from === port : port.includes(from);
    for (const e of this.outgoing.get(id)!) {
      this.edgeState[e] = fires(this.plan.edges[e].from.port) ? 'fired' : 'dead';
    }
  }

  fail(id: string): void {
    this.status[id] = 'failed';
  }

  /** A skipped node's outgoing edges die, so skipping propagates down a dead branch. */
  skip(id: string): void {
    this.markStarted(id, 'skipped');
    for (const e of this.outgoing.get(id)!) this.edgeState[e] = 'dead';
  }

  /** Outputs of the nodes nothing else consumes, by node name: the run's output. */
  sinkOutputs(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const id of this.plan.order) {
      if (this.outgoing.get(id)!.length === 0 && this.outputs.has(id))
        result[this.plan.nodes[id].name] = this.outputs.get(id);
    }
    return result;
  }

  snapshot(): Record<string, StepStatus> {
    return { ...this.status };
  }
}
