// Three-way merge of workflow documents: the installed base, the user's edits ("ours") and a new published version
// ("theirs"). Pure and isomorphic: the server merges on update, the review dialog shows the result
// (app/components/marketplace/ThreeWayDiff.tsx). Decision: docs/decisions/063-three-way-workflow-merge.md.
//
// Nodes are matched by id (installing a workflow copies its ids), then merged field by field and param by param;
// edges are a set of (source, port, target, port). A conflict is both sides changing the same value differently, or
// one side deleting a node the other changed. Positions never conflict: the user's layout wins.
import { parseDocument } from '../schema';
import type { Diagnostic, DocumentEdge, DocumentNode, WorkflowDocument } from '../types';
import {
  diffPaths,
  isPlainObject,
  jsonEqual,
  mergedOrder,
  rowKeyField,
  rowsByKey,
  type Json,
  type MergePath,
} from './json-diff';

export type ChangeSide = 'ours' | 'theirs' | 'both';
export type ChangeKind =
  'node-added' | 'node-removed' | 'param' | 'field' | 'position' | 'edge-added' | 'edge-removed' | 'setting';

/** One change the merge applied. `nodeId` is absent for edges and settings; `path` is relative to the node. */
export interface MergeChange {
  side: ChangeSide;
  kind: ChangeKind;
  nodeId?: string;
  path: MergePath;
  before: Json;
  after: Json;
}

/** Both sides changed one value differently. `ours`/`theirs` undefined means that side deleted it. */
export interface MergeConflict {
  id: string;
  /** Absent for a workflow setting. */
  nodeId?: string;
  nodeName: string;
  path: MergePath;
  base: Json;
  ours: Json;
  theirs: Json;
}

export type ConflictChoice = 'ours' | 'theirs' | { value: Json };

export interface MergeResult {
  /** The merge with every conflict kept as the user had it ("ours"); `resolve` applies other choices. */
  merged: WorkflowDocument;
  conflicts: MergeConflict[];
  changes: MergeChange[];
  /** The three inputs, so `resolve` can merge again with the choices. */
  sources: { base: WorkflowDocument; ours: WorkflowDocument; theirs: WorkflowDocument };
}

/** A document that cannot be merged, or a resolution that is incomplete or yields an invalid document. */
export class MergeError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(message: string, diagnostics: Diagnostic[] = []) {
    super(message);
    this.name = 'MergeError';
    this.diagnostics = diagnostics;
  }
}

const SIDE_NAMES = { base: 'The installed version', ours: 'Your version', theirs: 'The update' } as const;
const SETTINGS_SCOPE = '$settings';
const NAME_LIMIT = 128;
const ID_LIMIT = 64;
const NODE_FIELDS = ['type', 'version', 'name', 'params', 'policy', 'disabled', 'notes'] as const;

interface Scope {
  nodeId?: string;
  nodeName: string;
}

/** `Offer letter › params.fields.text`: how messages name a place in the document. */
export function describePath(nodeName: string, path: MergePath): string {
  return path.length ? `${nodeName} › ${path.join('.')}` : nodeName;
}

const edgeKey = (e: DocumentEdge) => JSON.stringify([e.source, e.sourcePort, e.target, e.targetPort]);
const withoutPosition = (node: DocumentNode | undefined) => node && { ...node, position: undefined };

function kindOf(scope: Scope, path: MergePath): ChangeKind {
  if (!scope.nodeId) return 'setting';
  return path[0] === 'params' ? 'param' : path[0] === 'position' ? 'position' : 'field';
}

/** One merge pass; `choices` settles conflicts (absent: the user's side is kept). */
class Merger {
  readonly changes: MergeChange[] = [];
  readonly conflicts: MergeConflict[] = [];
  /** Nodes one side deleted but a conflict choice kept: the edges the deleting side dropped with them come back. */
  private readonly revived = new Set<string>();

  constructor(private readonly choices: Record<string, ConflictChoice> = {}) {}

  merge(base: WorkflowDocument, ours: WorkflowDocument, theirs: WorkflowDocument): WorkflowDocument {
    const nodes = this.mergeNodes(base.nodes, ours.nodes, theirs.nodes);
    this.uniqueNames(nodes, ours.nodes);
    const edges = this.mergeEdges(base.edges, ours.edges, theirs.edges, new Set(nodes.map((n) => n.id)));
    const settings = this.value({ nodeName: 'Workflow settings' }, [], base.settings, ours.settings, theirs.settings);
    return { nodes, edges, settings: (settings ?? {}) as WorkflowDocument['settings'] };
  }

  private record(side: ChangeSide, scope: Scope, path: MergePath, before: Json, after: Json): void {
    for (const leaf of diffPaths(before, after, path)) {
      this.changes.push({ side, kind: kindOf(scope, leaf.path), nodeId: scope.nodeId, ...leaf });
    }
  }

  private conflict(scope: Scope, path: MergePath, base: Json, ours: Json, theirs: Json): Json {
    const id = JSON.stringify([scope.nodeId ?? SETTINGS_SCOPE, ...path]);
    this.conflicts.push({ id, nodeId: scope.nodeId, nodeName: scope.nodeName, path, base, ours, theirs });
    const choice = this.choices[id];
    if (choice === undefined || choice === 'ours') return ours;
    return choice === 'theirs' ? theirs : choice.value;
  }

  /** The merged value at `path`; `undefined` means absent. */
  private value(scope: Scope, path: MergePath, base: Json, ours: Json, theirs: Json): Json {
    if (jsonEqual(ours, theirs)) {
      if (!jsonEqual(base, ours)) this.record('both', scope, path, base, ours);
      return ours;
    }
    if (jsonEqual(base, ours)) {
      this.record('theirs', scope, path, base, theirs);
      return theirs;
    }
    if (jsonEqual(base, theirs)) {
      this.record('ours', scope, path, base, ours);
      return ours;
    }
    // Both changed it: merge inside when both kept its shape (an object both added counts as from an empty one).
    if (isPlainObject(ours) && isPlainObject(theirs) && (base === undefined || isPlainObject(base))) {
      return this.object(scope, path, base ?? {}, ours, theirs);
    }
    if (Array.isArray(ours) && Array.isArray(theirs) && (base === undefined || Array.isArray(base))) {
      const merged = this.list(scope, path, base ?? [], ours, theirs);
      if (merged) return merged;
    }
    return this.conflict(scope, path, base, ours, theirs);
  }

  private object(
    scope: Scope,
    path: MergePath,
    base: Record<string, unknown>,
    ours: Record<string, unknown>,
    theirs: Record<string, unknown>,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(ours), ...Object.keys(theirs), ...Object.keys(base)])) {
      const merged = this.value(scope, [...path, key], base[key], ours[key], theirs[key]);
      if (merged !== undefined) out[key] = merged;
    }
    return out;
  }

  /** Keyed rows merge by key and equal-length lists by index; undefined when neither applies (a conflict). */
  private list(
    scope: Scope,
    path: MergePath,
    base: unknown[],
    ours: unknown[],
    theirs: unknown[],
  ): unknown[] | undefined {
    const field = rowKeyField([base, ours, theirs]);
    if (field) {
      const [b, o, t] = [base, ours, theirs].map((rows) => rowsByKey(rows, field));
      const merged = new Map<string, unknown>();
      for (const key of new Set([...b.keys(), ...o.keys(), ...t.keys()])) {
        const row = this.value(scope, [...path, key], b.get(key), o.get(key), t.get(key));
        if (row !== undefined) merged.set(key, row);
      }
      const order = mergedOrder([...b.keys()], [...o.keys()], [...t.keys()], (key) => merged.has(key));
      return order.map((key) => merged.get(key));
    }
    if (base.length !== ours.length || ours.length !== theirs.length) return undefined;
    return ours.map((row, i) => this.value(scope, [...path, i], base[i], row, theirs[i]));
  }

  private mergeNodes(base: DocumentNode[], ours: DocumentNode[], theirs: DocumentNode[]): DocumentNode[] {
    const [b, o, t] = [base, ours, theirs].map((nodes) => new Map(nodes.map((n) => [n.id, n])));
    const merged = new Map<string, DocumentNode>();
    for (const id of new Set([...o.keys(), ...t.keys(), ...b.keys()])) {
      const node = this.node(id, b.get(id), o.get(id), t.get(id));
      if (node) merged.set(id, node);
    }
    const order = mergedOrder([...b.keys()], [...o.keys()], [...t.keys()], (id) => merged.has(id));
    return order.map((id) => merged.get(id)!);
  }

  private node(id: string, base?: DocumentNode, ours?: DocumentNode, theirs?: DocumentNode): DocumentNode | undefined {
    const scope: Scope = { nodeId: id, nodeName: (ours ?? theirs ?? base)!.name };
    const added = (side: ChangeSide, node: DocumentNode) =>
      this.changes.push({ side, kind: 'node-added', nodeId: id, path: [], before: undefined, after: node });
    const removed = (side: ChangeSide) =>
      this.changes.push({ side, kind: 'node-removed', nodeId: id, path: [], before: base, after: undefined });
    if (!base) {
      if (ours && theirs && !jsonEqual(ours, theirs)) return this.fields(scope, undefined, ours, theirs);
      added(ours && theirs ? 'both' : ours ? 'ours' : 'theirs', (ours ?? theirs)!);
      return ours ?? theirs;
    }
    if (!ours && !theirs) return (removed('both'), undefined);
    if (!ours || !theirs) {
      const kept = (ours ?? theirs)!;
      // Moving a node the other side deleted is no reason to keep it.
      if (jsonEqual(withoutPosition(base), withoutPosition(kept)))
        return (removed(ours ? 'theirs' : 'ours'), undefined);
      const chosen = this.conflict(scope, [], base, ours, theirs);
      if (!isPlainObject(chosen)) return undefined;
      this.revived.add(id);
      return chosen as unknown as DocumentNode;
    }
    return this.fields(scope, base, ours, theirs);
  }

  private fields(scope: Scope, base: DocumentNode | undefined, ours: DocumentNode, theirs: DocumentNode): DocumentNode {
    const node: Record<string, unknown> = { id: ours.id, position: this.position(scope, base, ours, theirs) };
    for (const field of NODE_FIELDS) {
      const merged = this.value(scope, [field], base?.[field], ours[field], theirs[field]);
      if (merged !== undefined) node[field] = merged;
    }
    node.params ??= {};
    return node as unknown as DocumentNode;
  }

  private position(scope: Scope, base: DocumentNode | undefined, ours: DocumentNode, theirs: DocumentNode) {
    const oursMoved = !base || !jsonEqual(base.position, ours.position);
    if (oursMoved) {
      if (base) this.record('ours', scope, ['position'], base.position, ours.position);
      return ours.position;
    }
    this.record('theirs', scope, ['position'], base.position, theirs.position);
    return theirs.position;
  }

  /**
   * Names are how expressions refer to nodes, so they must stay unique: when the two sides gave different nodes one
   * name, the node whose name is not the user's is renamed "Name (2)" and the rename is listed as the update's.
   */
  private uniqueNames(nodes: DocumentNode[], ours: DocumentNode[]): void {
    const oursName = new Map(ours.map((n) => [n.id, n.name]));
    const used = new Set(nodes.filter((n) => oursName.get(n.id) === n.name).map((n) => n.name));
    for (const node of nodes) {
      if (oursName.get(node.id) === node.name) continue;
      let name = node.name;
      for (let i = 2; used.has(name); i++) name = `${node.name.slice(0, NAME_LIMIT - 6)} (${i})`;
      if (name !== node.name) {
        this.changes.push({
          side: 'theirs',
          kind: 'field',
          nodeId: node.id,
          path: ['name'],
          before: node.name,
          after: name,
        });
        node.name = name;
      }
      used.add(name);
    }
  }

  private mergeEdges(
    base: DocumentEdge[],
    ours: DocumentEdge[],
    theirs: DocumentEdge[],
    nodeIds: Set<string>,
  ): DocumentEdge[] {
    const [b, o, t] = [base, ours, theirs].map((edges) => new Map(edges.map((e) => [edgeKey(e), e])));
    const kept = new Map<string, DocumentEdge>();
    for (const key of new Set([...o.keys(), ...t.keys(), ...b.keys()])) {
      const edge = (o.get(key) ?? t.get(key) ?? b.get(key))!;
      const [inO, inT] = [o.has(key), t.has(key)];
      const touchesRevived = this.revived.has(edge.source) || this.revived.has(edge.target);
      const keep = b.has(key) ? (inO && inT) || (touchesRevived && (inO || inT)) : true;
      const side: ChangeSide = inO && inT ? 'both' : inO ? 'ours' : 'theirs';
      if (!b.has(key)) this.changes.push({ side, kind: 'edge-added', path: [], before: undefined, after: edge });
      else if (!keep) {
        const by: ChangeSide = !inO && !inT ? 'both' : inO ? 'theirs' : 'ours';
        this.changes.push({ side: by, kind: 'edge-removed', path: [], before: edge, after: undefined });
      }
      // Edges of a node the merge removed go with it.
      if (keep && nodeIds.has(edge.source) && nodeIds.has(edge.target)) kept.set(key, edge);
    }
    const order = mergedOrder([...b.keys()], [...o.keys()], [...t.keys()], (key) => kept.has(key));
    const ids = new Set<string>();
    return order.map((key) => {
      const edge = kept.get(key)!;
      let id = edge.id;
      // Both sides may have added different edges under one generated id.
      for (let i = 2; ids.has(id); i++) id = `${edge.id.slice(0, ID_LIMIT - 6)}-${i}`;
      ids.add(id);
      return id === edge.id ? edge : { ...edge, id };
    });
  }
}

function parseSide(json: unknown, side: keyof typeof SIDE_NAMES): WorkflowDocument {
  const parsed = parseDocument(json);
  if (parsed.ok) return parsed.doc;
  const first = parsed.diagnostics[0]?.message ?? 'invalid document';
  throw new MergeError(`${SIDE_NAMES[side]} is not a valid workflow document: ${first}`, parsed.diagnostics);
}

/** Merges the user's edits and the update onto the installed base; conflicts keep the user's side in `merged`. */
export function threeWayMerge(base: unknown, ours: unknown, theirs: unknown): MergeResult {
  const sources = { base: parseSide(base, 'base'), ours: parseSide(ours, 'ours'), theirs: parseSide(theirs, 'theirs') };
  const merger = new Merger();
  const merged = merger.merge(sources.base, sources.ours, sources.theirs);
  return { merged, conflicts: merger.conflicts, changes: merger.changes, sources };
}

/**
 * The final document with every conflict settled by `choices` (conflict id → the user's side, the update's, or an
 * edited value). Throws a MergeError naming the first conflict left open, or the problems of the resulting document.
 */
export function resolve(result: MergeResult, choices: Record<string, ConflictChoice>): WorkflowDocument {
  const open = result.conflicts.find((c) => choices[c.id] === undefined);
  if (open) throw new MergeError(`Choose which version to keep for ${describePath(open.nodeName, open.path)}`);
  const { base, ours, theirs } = result.sources;
  const merged = new Merger(choices).merge(base, ours, theirs);
  const parsed = parseDocument(merged);
  if (!parsed.ok) {
    const first = parsed.diagnostics[0]?.message ?? 'invalid document';
    throw new MergeError(`The merged workflow is not valid: ${first}`, parsed.diagnostics);
  }
  return parsed.doc;
}
