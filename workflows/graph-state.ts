// The interpreter's view of one run: which edges carry data, which nodes are done, and their outputs.
// Pure and deterministic; the interpreter owns all Temporal calls.
//
// A run walks the top-level graph; the body of a loop node (ir/loops.ts) is walked once per iteration by a graph of
// its own, `forIteration`: the loop node is its start (its output there is the iteration's item) and the edges back
// into its "Loop end" say what the iteration produced (`iterationResultSources`).
import type { Plan, PlanEdge, PlanNode } from '../ir/types';
import type { StepStatus } from '../contracts/run-status';
import { ERROR_PORT } from '../nodes/ports';

/** `fired` edges carry their source's output; `dead` ones belong to a branch not taken or a skipped node. */
export type EdgeState = 'pending' | 'fired' | 'dead';

/** One execution whose output feeds a node: `port` picks that output's value from a node with several. */
export interface FiredRef {
  nodeId: string;
  iteration: number;
  port?: string;
}

export class GraphState {
  readonly status: Record<string, StepStatus> = {};
  private readonly edges: PlanEdge[];
  private readonly edgeState: EdgeState[];
  private readonly outputs = new Map<string, unknown>();
  /** Nodes whose outputs differ per port (a loop's `done` and `failed`): the value of each port. */
  private readonly portValues = new Map<string, Record<string, unknown>>();
  private readonly incoming = new Map<string, number[]>();
  private readonly outgoing = new Map<string, number[]>();
  private readonly idByName = new Map<string, string>();
  private readonly started = new Set<string>();
  private readonly order: string[];
  /** The node the walk starts by hand: the trigger, or in an iteration the loop node. */
  readonly startId: string;

  /**
   * @param iteration 0 for the run's top level; k ≥ 1 for iteration k of the loop `loopId`, whose body this
   *   graph then holds (with the loop node as its start).
   */
  constructor(
    private readonly plan: Plan,
    readonly iteration = 0,
    readonly loopId?: string,
    readonly parent?: GraphState,
    /** A loop's child workflow: outputs and executions of nodes that ran in the run before the loop. */
    private readonly inherited?: {
      outputs: Record<string, unknown>;
      refs: Record<string, { nodeId: string; iteration: number }>;
    },
  ) {
    let members: Set<string>;
    if (loopId === undefined) {
      const inBodies = new Set(Object.values(plan.nodes).flatMap((n) => n.body ?? []));
      members = new Set(plan.order.filter((id) => !inBodies.has(id)));
      this.startId = plan.triggerId;
    } else {
      members = new Set([loopId, ...(plan.nodes[loopId].body ?? [])]);
      this.startId = loopId;
    }
    this.order = plan.order.filter((id) => members.has(id));
    // The top level leaves out edges into or out of bodies; an iteration keeps the edges among its nodes, out of
    // the loop node's `body` output and back into its "Loop end".
    const isLoop = (id: string) => plan.nodes[id]?.kind === 'loop';
    this.edges = plan.edges.filter(
      (e) =>
        members.has(e.from.node) &&
        members.has(e.to.node) &&
        (loopId === undefined
          ? !(isLoop(e.from.node) && e.from.port === 'body') && !(isLoop(e.to.node) && e.to.port === 'loopEnd')
          : e.from.node !== loopId || e.from.port === 'body'),
    );
    this.edgeState = this.edges.map(() => 'pending');
    for (const id of this.order) {
      this.status[id] = 'pending';
      this.incoming.set(id, []);
      this.outgoing.set(id, []);
      this.idByName.set(plan.nodes[id].name, id);
    }
    this.edges.forEach((edge, i) => {
      this.outgoing.get(edge.from.node)?.push(i);
      this.incoming.get(edge.to.node)?.push(i);
    });
  }

  /** The graph of iteration `iteration` (1, 2, …) of the loop node `loopId`, a node of this graph. */
  forIteration(loopId: string, iteration: number): GraphState {
    return new GraphState(this.plan, iteration, loopId, this);
  }

  get triggerId(): string {
    return this.plan.triggerId;
  }

  node(id: string): PlanNode {
    return this.plan.nodes[id];
  }

  /** Not yet started nodes whose incoming edges are all resolved, in plan order (the start is started by hand). */
  readyNodes(): string[] {
    return this.order.filter(
      (id) =>
        !this.started.has(id) &&
        id !== this.startId &&
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
    const next = this.edges[out[0]].to.node;
    return next !== this.startId && this.incoming.get(next)!.length === 1 ? next : undefined;
  }

  /** True when no incoming edge fired, so the node cannot run (a node without inputs is unreachable). */
  allInputsDead(id: string): boolean {
    return this.incoming.get(id)!.every((e) => this.edgeState[e] === 'dead');
  }

  /** The fired incoming edges' executions, ordered by target port (as the spec lists them), then edge order. */
  firedRefs(id: string, portOrder: string[] = []): FiredRef[] {
    const rank = (port: string) => {
      const i = portOrder.indexOf(port);
      return i === -1 ? portOrder.length : i;
    };
    return this.incoming
      .get(id)!
      .filter((e) => this.edgeState[e] === 'fired')
      .sort((a, b) => rank(this.edges[a].to.port) - rank(this.edges[b].to.port) || a - b)
      .map((e) => {
        const { node, port } = this.edges[e].from;
        return { nodeId: node, iteration: this.iteration, ...(this.portValues.has(node) ? { port } : {}) };
      });
  }

  /** Source node ids of the fired incoming edges, in `firedRefs` order. */
  firedSources(id: string, portOrder: string[] = []): string[] {
    return this.firedRefs(id, portOrder).map((r) => r.nodeId);
  }

  /** The value a fired edge carries: its source's output, or the value of its port for nodes with several. */
  valueOf(ref: Pick<FiredRef, 'nodeId' | 'port'>): unknown {
    return ref.port !== undefined ? this.portValues.get(ref.nodeId)?.[ref.port] : this.outputs.get(ref.nodeId);
  }

  /** A node's input: the one fired upstream value, or an array of them when several edges fired. */
  inputOf(id: string, portOrder: string[] = []): unknown {
    const values = this.firedRefs(id, portOrder).map((ref) => this.valueOf(ref));
    return values.length === 1 ? values[0] : values;
  }

  /** In an iteration: the executions that came back into the loop's "Loop end" (none: the body's paths died). */
  iterationResultRefs(): FiredRef[] {
    return this.firedRefs(this.startId);
  }

  output(id: string): unknown {
    if (this.outputs.has(id)) return this.outputs.get(id);
    if (this.inherited && Object.prototype.hasOwnProperty.call(this.inherited.outputs, id))
      return this.inherited.outputs[id];
    return this.parent?.output(id);
  }

  hasOutput(id: string): boolean {
    return (
      this.outputs.has(id) ||
      (this.inherited !== undefined && Object.prototype.hasOwnProperty.call(this.inherited.outputs, id)) ||
      (this.parent?.hasOutput(id) ?? false)
    );
  }

  /** The execution of every node that has an output, by node name: this iteration's over the enclosing ones. */
  executedRefs(): Record<string, { nodeId: string; iteration: number }> {
    const refs: Record<string, { nodeId: string; iteration: number }> = this.parent?.executedRefs() ?? {
      ...this.inherited?.refs,
    };
    for (const id of this.outputs.keys()) refs[this.plan.nodes[id].name] = { nodeId: id, iteration: this.iteration };
    return refs;
  }

  idOfName(name: string): string | undefined {
    return this.idByName.get(name) ?? this.parent?.idOfName(name);
  }

  /** The plan's Wait node ids by name, for `$resumeUrl(…)` in activities. */
  waitNodes(): Record<string, string> {
    const ids: Record<string, string> = {};
    for (const id of this.plan.order) if (this.plan.nodes[id].kind === 'wait') ids[this.plan.nodes[id].name] = id;
    return ids;
  }

  /**
   * Records a finished node and resolves its outgoing edges: all fire, or only those leaving `port` (or ports).
   * `portValues` gives each port its own value (a loop's `done` and `failed`); `output` is what the node's step holds.
   */
  complete(
    id: string,
    output: unknown,
    status: StepStatus,
    port?: string | readonly string[],
    portValues?: Record<string, unknown>,
  ): void {
    this.status[id] = status;
    this.outputs.set(id, output);
    if (portValues) this.portValues.set(id, portValues);
    // A node that succeeds sends its output down every output but `error` (nodes/ports.ts ERROR_PORT).
    const fires = (from: string) =>
      port === undefined ? from !== ERROR_PORT.id : typeof port === 'string' ? from === port : port.includes(from);
    for (const e of this.outgoing.get(id)!) {
      this.edgeState[e] = fires(this.edges[e].from.port) ? 'fired' : 'dead';
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
    for (const id of this.order) {
      if (this.outgoing.get(id)!.length === 0 && this.outputs.has(id))
        result[this.plan.nodes[id].name] = this.outputs.get(id);
    }
    return result;
  }

  snapshot(): Record<string, StepStatus> {
    return { ...this.status };
  }
}
