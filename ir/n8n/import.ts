// n8n workflow export → Baton workflow document and a summary of what the user must still do: placeholders to
// replace, credentials to pick, expressions to check. Pure; the API route and the tests call it.
// Decision: docs/decisions/062-n8n-import.md.
import { compilePlan } from '../compile';
import type { DocumentEdge, DocumentNode, WorkflowDocument } from '../types';
import { translateValue, type ExpressionNote } from './expressions';
import { mapperFor } from './mappers';
import { N8nImportError, parseN8nWorkflow, type ParsedN8n } from './parse';
import { placeholderFor } from './placeholder';
import type { Mapped, N8nNode } from './types';

export interface N8nImportSummary {
  imported: Array<{ node: string; from: string; to: string }>;
  placeholders: Array<{ node: string; originalType: string; replaceWith: string }>;
  /** Credential types the n8n nodes used: nothing of them is imported, the user picks Baton credentials. */
  credentials: Array<{ node: string; n8nType: string; n8nName?: string }>;
  expressions: Array<{ node: string; field: string; expression: string }>;
  notes: Array<{ node: string; message: string }>;
  /** Nodes the import turned off because Baton would refuse them as written, and why. */
  disabled: Array<{ node: string; reason: string }>;
  skipped: string[];
}

export interface N8nImportResult {
  name: string;
  document: WorkflowDocument;
  summary: N8nImportSummary;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const STICKY = 'n8n-nodes-base.stickyNote';
// n8n's node boxes are about 100 px wide and Baton's cards about 200: spreading the layout keeps it without overlaps.
export const LAYOUT_SCALE = { x: 1.5, y: 1.25 } as const;

function nodeId(node: N8nNode, used: Set<string>): string {
  let id =
    node.id && SAFE_ID.test(node.id) && !['__proto__', 'constructor', 'prototype'].includes(node.id)
      ? node.id
      : `n8n-${node.index + 1}`;
  while (used.has(id)) id = `${id.slice(0, 58)}-${used.size}`;
  used.add(id);
  return id;
}

function mapNode(node: N8nNode, summary: N8nImportSummary): Mapped {
  const notes: ExpressionNote[] = [];
  const ctx = { text: (v: unknown, field: string) => translateValue(v, field, notes), notes };
  const mapped = mapperFor(node.type)?.(node, ctx);
  const result = mapped ?? placeholderFor(node);
  if (mapped) summary.imported.push({ node: node.name, from: node.type, to: mapped.type });
  else
    summary.placeholders.push({
      node: node.name,
      originalType: node.type,
      replaceWith: String(result.params.replaceWith),
    });
  summary.expressions.push(...notes.map((n) => ({ node: node.name, ...n })));
  summary.notes.push(...(mapped ? mapped.notes : []).map((message) => ({ node: node.name, message })));
  for (const [n8nType, c] of Object.entries(node.credentials))
    summary.credentials.push({ node: node.name, n8nType, ...(c.name ? { n8nName: c.name } : {}) });
  return result;
}

function buildEdges(parsed: ParsedN8n, ids: Map<string, string>, mapped: Map<string, Mapped>): DocumentEdge[] {
  const edges: DocumentEdge[] = [];
  const problems: Array<{ path: string; message: string }> = [];
  for (const [source, outputs] of parsed.connections) {
    const from = mapped.get(source);
    if (!from) continue; // a sticky note's connections: there are none in practice
    outputs.forEach((targets, output) => {
      for (const t of targets) {
        const to = mapped.get(t.node);
        if (!to) continue;
        const sourcePort = from.type === 'n8n-placeholder' ? 'out' : from.outputs[output];
        if (!sourcePort)
          problems.push({
            path: `connections["${source}"].main[${output}]`,
            message: `"${source}" has ${from.outputs.length} output(s) in Baton; output ${output} does not exist`,
          });
        else if (!to.input)
          problems.push({
            path: `connections["${source}"].main[${output}]`,
            message: `"${t.node}" is a trigger and takes no input`,
          });
        else
          edges.push({
            id: `e${edges.length + 1}`,
            source: ids.get(source) as string,
            sourcePort,
            target: ids.get(t.node) as string,
            targetPort: to.input,
          });
      }
    });
  }
  if (problems.length) throw new N8nImportError(problems);
  return edges;
}

const blocksSaving = (d: { severity: string; incomplete?: boolean }) => d.severity === 'error' && !d.incomplete;

/**
 * Turns off nodes Baton would refuse as written (an untranslatable expression, a value out of range), so the
 * draft saves and the editor shows them; what remains blocking is a problem of the file itself.
 */
function settle(doc: WorkflowDocument, name: string, summary: N8nImportSummary): void {
  // Each round disables at least one more node, or returns, or throws: it ends within doc.nodes.length rounds.
  for (;;) {
    const result = compilePlan(doc, { workflowId: 'n8n-import', name });
    if (result.ok) return;
    const blocking = result.diagnostics.filter(blocksSaving);
    if (!blocking.length) return;
    const byNode = blocking.filter((d) => d.nodeId && doc.nodes.some((n) => n.id === d.nodeId && !n.disabled));
    if (!byNode.length)
      throw new N8nImportError(
        blocking.slice(0, 20).map((d) => ({ path: (d.path ?? []).join('.') || 'workflow', message: d.message })),
      );
    for (const d of byNode) {
      const node = doc.nodes.find((n) => n.id === d.nodeId) as DocumentNode;
      if (node.disabled) continue;
      node.disabled = true;
      summary.disabled.push({ node: node.name, reason: d.message });
    }
  }
}

export function importN8nWorkflow(input: string | unknown): N8nImportResult {
  const parsed = parseN8nWorkflow(input);
  const summary: N8nImportSummary = {
    imported: [],
    placeholders: [],
    credentials: [],
    expressions: [],
    notes: [],
    disabled: [],
    skipped: [],
  };
  const used = new Set<string>();
  const ids = new Map<string, string>();
  const mapped = new Map<string, Mapped>();
  const nodes: DocumentNode[] = [];
  let stickies = 0;
  for (const n of parsed.nodes) {
    if (n.type === STICKY) {
      stickies++;
      continue;
    }
    const m = mapNode(n, summary);
    const id = nodeId(n, used);
    ids.set(n.name, id);
    mapped.set(n.name, m);
    nodes.push({
      id,
      type: m.type,
      version: m.version,
      name: n.name,
      position: { x: Math.round(n.position.x * LAYOUT_SCALE.x), y: Math.round(n.position.y * LAYOUT_SCALE.y) },
      params: m.params,
      ...(n.disabled || m.type === 'n8n-placeholder' ? { disabled: true } : {}),
      ...(n.notes ? { notes: n.notes } : {}),
    });
  }
  if (stickies) summary.skipped.push(`${stickies} sticky note(s)`);
  for (const type of parsed.skippedConnectionTypes) summary.skipped.push(`"${type}" connections (AI sub-nodes)`);
  const name = parsed.name ?? 'Imported from n8n';
  const document: WorkflowDocument = { nodes, edges: buildEdges(parsed, ids, mapped), settings: {} };
  settle(document, name, summary);
  return { name, document, summary };
}

export { N8nImportError, N8N_IMPORT_LIMITS } from './parse';
