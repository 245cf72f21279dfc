// The workflow document's shape, checked before anything trusts it: the editor's save, the API, imports.
// Hostile input gets diagnostics with JSON paths, never an exception or a polluted prototype.
import { z } from 'zod';
import { formatSize, inspectJson } from '../nodes/json-value';
import { POLICY_BOUNDS } from './policy';
import type { Diagnostic, WorkflowDocument } from './types';

export const DOCUMENT_LIMITS = {
  nodes: 2000,
  edges: 10_000,
  /** Per param value, in serialized characters; node specs set tighter caps that the compiler checks. */
  paramChars: 1024 * 1024,
  /** All params of the document together. */
  totalParamChars: 16 * 1024 * 1024,
  paramDepth: 32,
  diagnostics: 100,
} as const;

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const idSchema = z.string().regex(SAFE_ID, 'must be 1–64 letters, digits, "-" or "_"');
const hasControlChars = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

const bounded = (b: { min: number; max: number }) =>
  z.number().finite().min(b.min, `must be at least ${b.min}`).max(b.max, `must be at most ${b.max}`);

const policySchema = z
  .object({
    retry: z
      .object({
        maximumAttempts: bounded(POLICY_BOUNDS.maximumAttempts).int(),
        initialIntervalMs: bounded(POLICY_BOUNDS.initialIntervalMs).int(),
        backoffCoefficient: bounded(POLICY_BOUNDS.backoffCoefficient),
      })
      .partial()
      .strict(),
    timeoutMs: bounded(POLICY_BOUNDS.timeoutMs).int(),
    continueOnFail: z.boolean(),
    errorOutput: z.boolean(),
  })
  .partial()
  .strict();

const coordinate = z.number().finite().min(-1e7).max(1e7);

const nodeSchema = z.object({
  id: idSchema,
  type: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a node type id such as "http-request"'),
  version: z.number().int().min(1).max(10_000),
  name: z
    .string()
    .min(1, 'is required')
    .max(128)
    .refine((s) => s.trim() !== '' && !hasControlChars(s), 'must be visible text without control characters'),
  position: z.object({ x: coordinate, y: coordinate }),
  // Contents were checked by `scanParams` before zod runs (zod drops `__proto__` keys silently).
  params: z.record(z.unknown()).default({}),
  policy: policySchema.optional(),
  disabled: z.boolean().optional(),
  notes: z.string().max(10_000).optional(),
});

const edgeSchema = z.object({
  id: idSchema,
  source: idSchema,
  sourcePort: idSchema,
  target: idSchema,
  targetPort: idSchema,
});

const documentSchema = z.object({
  nodes: z.array(nodeSchema).max(DOCUMENT_LIMITS.nodes),
  edges: z.array(edgeSchema).max(DOCUMENT_LIMITS.edges),
  settings: z
    .object({
      runTimeoutMs: z
        .number()
        .int()
        .min(1000)
        .max(366 * 86_400_000)
        .optional(),
      mode: z.enum(['standard', 'express']).optional(),
    })
    .default({}),
});

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function nodeIdAt(json: Record<string, unknown>, path: Array<string | number>): string | undefined {
  if (path[0] !== 'nodes' || typeof path[1] !== 'number' || !Array.isArray(json.nodes)) return undefined;
  const node = json.nodes[path[1]];
  return isRecord(node) && typeof node.id === 'string' && SAFE_ID.test(node.id) ? node.id : undefined;
}

/** Size, depth, key and type checks of every node's params, each problem located at its field. */
function scanParams(nodes: unknown[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  let total = 0;
  nodes.forEach((node, i) => {
    if (!isRecord(node) || !isRecord(node.params)) return;
    const nodeId = typeof node.id === 'string' && SAFE_ID.test(node.id) ? node.id : undefined;
    for (const key of Object.keys(node.params)) {
      const path = ['nodes', i, 'params', key];
      const seen = inspectJson(node.params[key], {
        maxChars: DOCUMENT_LIMITS.paramChars,
        maxDepth: DOCUMENT_LIMITS.paramDepth,
        forbidPrototypeKeys: true,
      });
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
        out.push({
          severity: 'error',
          code: 'param-invalid',
          message: `Param name "${key}" is reserved`,
          nodeId,
          path,
        });
      } else if (!seen.ok) {
        out.push({
          severity: 'error',
          code: 'param-invalid',
          message: `Param "${key}" ${seen.message}`,
          nodeId,
          path: [...path, ...seen.path],
        });
      } else total += seen.chars;
    }
  });
  if (total > DOCUMENT_LIMITS.totalParamChars) {
    out.push({
      severity: 'error',
      code: 'document-too-large',
      message: `Node params add up to ${formatSize(total)}; the limit is ${formatSize(DOCUMENT_LIMITS.totalParamChars)}`,
      path: ['nodes'],
    });
  }
  return out;
}

/** Repeated ids and names, found on the raw arrays so they are reported alongside any shape errors. */
function duplicates(nodes: unknown[], edges: unknown[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const scan = (
    items: unknown[],
    field: 'id' | 'name',
    report: (value: string, i: number, item: Record<string, unknown>) => Diagnostic,
  ) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (!isRecord(item) || typeof item[field] !== 'string') return;
      const value = item[field] as string;
      if (seen.has(value)) out.push(report(value, i, item));
      seen.add(value);
    });
  };
  const safeId = (item: Record<string, unknown>) =>
    typeof item.id === 'string' && SAFE_ID.test(item.id) ? item.id : undefined;
  scan(nodes, 'id', (id, i) => ({
    severity: 'error',
    code: 'duplicate-id',
    message: `Node id "${id}" is used by more than one node`,
    nodeId: SAFE_ID.test(id) ? id : undefined,
    path: ['nodes', i, 'id'],
  }));
  scan(nodes, 'name', (name, i, item) => ({
    severity: 'error',
    code: 'duplicate-name',
    message: `Node name "${name}" is used by more than one node; names must be unique because expressions refer to nodes by name`,
    nodeId: safeId(item),
    path: ['nodes', i, 'name'],
  }));
  scan(edges, 'id', (id, i) => ({
    severity: 'error',
    code: 'duplicate-id',
    message: `Edge id "${id}" is used by more than one edge`,
    edgeId: SAFE_ID.test(id) ? id : undefined,
    path: ['edges', i, 'id'],
  }));
  return out;
}

function invalid(
  message: string,
  path: Array<string | number> = [],
  code = 'document-invalid',
): { ok: false; diagnostics: Diagnostic[] } {
  return { ok: false, diagnostics: [{ severity: 'error', code, message, path }] };
}

export function parseDocument(
  json: unknown,
): { ok: true; doc: WorkflowDocument } | { ok: false; diagnostics: Diagnostic[] } {
  if (!isRecord(json)) return invalid('A workflow document must be a JSON object with "nodes", "edges" and "settings"');
  const { nodes, edges } = json;
  if (Array.isArray(nodes) && nodes.length > DOCUMENT_LIMITS.nodes) {
    return invalid(
      `The document has ${nodes.length} nodes; the limit is ${DOCUMENT_LIMITS.nodes}`,
      ['nodes'],
      'document-too-large',
    );
  }
  if (Array.isArray(edges) && edges.length > DOCUMENT_LIMITS.edges) {
    return invalid(
      `The document has ${edges.length} edges; the limit is ${DOCUMENT_LIMITS.edges}`,
      ['edges'],
      'document-too-large',
    );
  }
  const diagnostics = Array.isArray(nodes) ? scanParams(nodes) : [];
  const parsed = documentSchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const at = issue.path.length ? issue.path.join('.') : 'document';
      diagnostics.push({
        severity: 'error',
        code: 'document-invalid',
        message: `${at}: ${issue.message}`,
        nodeId: nodeIdAt(json, issue.path),
        path: issue.path,
      });
    }
  }
  diagnostics.push(...duplicates(Array.isArray(nodes) ? nodes : [], Array.isArray(edges) ? edges : []));
  if (diagnostics.length) return { ok: false, diagnostics: diagnostics.slice(0, DOCUMENT_LIMITS.diagnostics) };
  return { ok: true, doc: parsed.data as WorkflowDocument };
}
