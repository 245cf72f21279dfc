// One place that decides whether a workflow document may be saved, run or published. Pure: the API uses it
// to accept or refuse, the editor to show problems live while you edit.
import { compilePlan } from '../../ir/compile';
import { parseDocument } from '../../ir/schema';
import type { Diagnostic, Plan, WorkflowDocument } from '../../ir/types';

export type SaveCheck =
  { ok: true; doc: WorkflowDocument; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };
export type RunCheck =
  { ok: true; doc: WorkflowDocument; plan: Plan; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

const blocksSaving = (d: Diagnostic) => d.severity === 'error' && !d.incomplete;

/**
 * Drafts may be unfinished: diagnostics marked `incomplete` (an empty required field, no trigger yet) come back
 * as warnings. Anything else (malformed JSON shape, unknown type, cycle, wrong param type, oversize value,
 * dangling edge) means the document would be saved broken, so it is refused.
 */
export function checkForSave(raw: unknown, meta: { workflowId: string; name: string }): SaveCheck {
  const parsed = parseDocument(raw);
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  const compiled = compilePlan(parsed.doc, meta);
  if (compiled.ok) return { ok: true, doc: parsed.doc, warnings: compiled.warnings };
  const blocking = compiled.diagnostics.filter(blocksSaving);
  if (blocking.length) return { ok: false, diagnostics: blocking };
  return { ok: true, doc: parsed.doc, warnings: compiled.diagnostics };
}

/** Running and publishing need a plan, so every error blocks. */
export function checkForRun(raw: unknown, meta: { workflowId: string; name: string }): RunCheck {
  const parsed = parseDocument(raw);
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  const compiled = compilePlan(parsed.doc, meta);
  if (!compiled.ok) return { ok: false, diagnostics: compiled.diagnostics };
  return { ok: true, doc: parsed.doc, plan: compiled.plan, warnings: compiled.warnings };
}

function nodeLabel(raw: unknown, nodeId: string): string {
  const nodes = (raw as { nodes?: unknown })?.nodes;
  const node = Array.isArray(nodes) ? nodes.find((n) => (n as { id?: unknown })?.id === nodeId) : undefined;
  const name = (node as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== nodeId ? `node "${name}" (${nodeId})` : `node ${nodeId}`;
}

/** "node "HTTP" (n2), field params.url: …" — what a person needs to find the problem. */
export function describeDiagnostic(d: Diagnostic, raw: unknown): string {
  const where: string[] = [];
  if (d.nodeId) where.push(nodeLabel(raw, d.nodeId));
  if (d.edgeId) where.push(`edge ${d.edgeId}`);
  const fieldPath = d.nodeId && d.path?.[0] === 'nodes' ? d.path.slice(2) : d.path;
  if (fieldPath?.length) where.push(`field ${fieldPath.join('.')}`);
  return where.length ? `${where.join(', ')}: ${d.message}` : d.message;
}

export function summarizeDiagnostics(prefix: string, diagnostics: Diagnostic[], raw: unknown): string {
  const shown = diagnostics.slice(0, 3).map((d) => describeDiagnostic(d, raw));
  const more = diagnostics.length > 3 ? ` (and ${diagnostics.length - 3} more)` : '';
  return `${prefix}: ${shown.join('; ')}${more}.`;
}
