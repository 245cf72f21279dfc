// The three artifacts' shapes shared by editor, compiler, interpreter and API.
import type { NodePolicy, TaskQueue } from '../nodes/define';

/** What the editor saves. Positions live here and nowhere else. */
export interface WorkflowDocument {
  nodes: DocumentNode[];
  edges: DocumentEdge[];
  settings: WorkflowSettings;
}

export interface DocumentNode {
  id: string;
  type: string;
  version: number;
  name: string; // unique within a document; expressions reference nodes by it
  position: { x: number; y: number };
  params: Record<string, unknown>;
  policy?: Partial<NodePolicy>;
  disabled?: boolean;
  notes?: string;
}

export interface DocumentEdge {
  id: string;
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

/**
 * `standard` runs are durable Temporal workflows; `express` runs execute in memory in the process that received
 * the webhook and are recorded once when they end (docs/decisions/030-express-mode.md).
 */
export type ExecutionMode = 'standard' | 'express';

export interface WorkflowSettings {
  /** Upper bound for a whole run, in ms; absent means unbounded (approvals may wait for weeks). */
  runTimeoutMs?: number;
  /** Absent means `standard`. */
  mode?: ExecutionMode;
  /** A workflow whose published version runs when a run of this one fails, with the failed run's summary. */
  errorWorkflowId?: string;
  /** What the workflow's model calls may cost per calendar month (UTC), in US dollars; absent: no limit. */
  aiBudgetUsdPerMonth?: number;
}

/** A compile problem, located so the canvas can mark the node and the form can mark the field. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  code: string; // e.g. 'unknown-type', 'cycle', 'param-invalid'
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** Path inside the document, e.g. ['nodes', 2, 'params', 'url'] or ['params', 'url'] relative to the node. */
  path?: Array<string | number>;
  /**
   * True when the document is still fine to save as a draft but cannot run or publish yet
   * (a required param left empty, no trigger, an unconnected node). Everything else blocks saving too.
   */
  incomplete?: boolean;
}

export type PlanNodeKind =
  'trigger' | 'activity' | 'branch' | 'merge' | 'delay' | 'wait' | 'loop' | 'subworkflow' | 'approval' | 'agent';

/** The execution plan: no coordinates, every param checked, policies resolved. Content-hashed. */
export interface Plan {
  hash: string; // sha256 of the canonical JSON of everything below
  workflowId: string;
  name: string;
  triggerId: string;
  /** Topological order of node ids. */
  order: string[];
  nodes: Record<string, PlanNode>;
  edges: PlanEdge[];
  runTimeoutMs?: number;
  /** Present only for express plans, so standard plans keep the hashes they had before modes existed. */
  mode?: 'express';
  /** Present only when set (WorkflowSettings.errorWorkflowId). */
  errorWorkflowId?: string;
  /** Present only when set (WorkflowSettings.aiBudgetUsdPerMonth). */
  aiBudgetUsdPerMonth?: number;
}

export interface PlanNode {
  id: string;
  name: string;
  type: string;
  version: number;
  kind: PlanNodeKind;
  taskQueue: TaskQueue;
  params: Record<string, unknown>; // raw, may still hold `{{ … }}` expressions
  policy: NodePolicy;
  /** Loop nodes: the ids of the nodes of their body, in topological order (ir/loops.ts). */
  body?: string[];
}

export interface PlanEdge {
  from: { node: string; port: string };
  to: { node: string; port: string };
}

export type CompileResult = { ok: true; plan: Plan; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };
