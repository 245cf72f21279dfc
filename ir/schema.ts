// The workflow document's shape, checked before anything trusts it: the editor's save, the API, imports.
// Hostile input gets diagnostics with JSON paths, never an exception or a polluted prototype.
import { z } from 'zod';
import { FORBIDDEN_KEYS, formatSize, inspectJson } from '../nodes/json-value';
import { clip } from './errors';
import { POLICY_BOUNDS } from './policy';
import { isTemplate, parseTemplate } from './template';
import type { Diagnostic, WorkflowDocument } from './types';

export const DOCUMENT_LIMITS = {
  nodes: 2000,
  edges: 10_000,
  /** Per param value, in serialized characters; node specs set tighter caps that the compiler checks. */
  paramChars: 1024 * 1024,
  /** All params of the document together. */
  totalParamChars: 16 * 1024 * 1024,
  paramDepth: 32,
  /**
   * `{{ … }}` expressions in all params, and their JSONata source together. The compiler parses each one, at a
   * fixed cost of tens of microseconds and more for long ones: these keep a hostile document's compile short.
   */
  expressions: 5000,
  expressionChars: 512 * 1024,
  diagnostics: 100,
} as const;

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
// Ids key plain objects downstream (the plan's `nodes`, run state): `__proto__` there would set a prototype.
const idSchema = z
  .string()
  .regex(SAFE_ID, 'must be 1–64 letters, digits, "-" or "_"')
  .refine((id) => !FORBIDDEN_KEYS.has(id), 'is reserved; use another id');
const isSafeId = (v: unknown): v is string => typeof v === 'string' && SAFE_ID.test(v) && !FORBIDDEN_KEYS.has(v);
const hasControlChars = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
const NAME_LIMIT = 128;
const isValidName = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= NAME_LIMIT && v.trim() !== '' && !hasControlChars(v);

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
    // Keys and values are checked by resolvePolicy, which names the node and the key.
    tags: z.array(z.object({ key: z.string().max(200), value: z.string().max(10_000) }).strict()).max(100),
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
    .max(NAME_LIMIT)
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
      errorWorkflowId: z
        .string()
        .regex(/^[a-f0-9]{24}$/, 'must be the id of a workflow (24 hexadecimal characters)')
        .optional(),
      aiBudgetUsdPerMonth: z.number().finite().min(0).max(1_000_000).optional(),
    })
    .default({}),
});

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The node or edge a path inside the document points into, with how a message should name it. */
function locate(
  json: Record<string, unknown>,
  path: Array<string | number>,
): { nodeId?: string; edgeId?: string; label?: string } {
  const [area, index] = path;
  const list = area === 'nodes' || area === 'edges' ? json[area] : undefined;
  if (typeof index !== 'number' || !Array.isArray(list) || !isRecord(list[index])) return {};
  const item = list[index] as Record<string, unknown>;
  const id = isSafeId(item.id) ? item.id : undefined;
  if (area === 'edges') return { edgeId: id, label: id && `Edge "${id}"` };
  return { nodeId: id, label: isValidName(item.name) ? item.name : id && `Node "${id}"` };
}

/** `Fetch user: Param "url" …`: the node's name first, as the compiler's messages have it, else its place. */
function nodeLabel(node: Record<string, unknown>, index: number): string {
  return isValidName(node.name) ? node.name : isSafeId(node.id) ? `Node "${node.id}"` : `nodes.${index}`;
}

/** Counts the expressions inside a param value whose size and depth were checked, and their source length. */
function countExpressions(value: unknown, sum: { count: number; chars: number }): void {
  if (typeof value === 'string') {
    if (!isTemplate(value)) return;
    try {
      for (const part of parseTemplate(value)) {
        if (!('expr' in part)) continue;
        sum.count++;
        sum.chars += part.expr.length;
      }
    } catch {
      // A malformed template is the compiler's to report, and it costs nothing to check: nothing of it is parsed.
    }
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) countExpressions(v, sum);
  }
}

/** Size, depth, key and type checks of every node's params, each problem located at its field. */
function scanParams(nodes: unknown[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  let total = 0;
  const expressions = { count: 0, chars: 0 };
  nodes.forEach((node, i) => {
    if (!isRecord(node) || !isRecord(node.params)) return;
    const nodeId = isSafeId(node.id) ? node.id : undefined;
    const label = nodeLabel(node, i);
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
          message: `${label}: param name "${key}" is reserved`,
          nodeId,
          path,
        });
      } else if (!seen.ok) {
        out.push({
          severity: 'error',
          code: 'param-invalid',
          message: `${label}: Param "${clip(key)}" ${seen.message}`,
          nodeId,
          path: [...path, ...seen.path],
        });
      } else {
        total += seen.chars;
        countExpressions(node.params[key], expressions);
      }
    }
  });
  const tooMany = expressions.count > DOCUMENT_LIMITS.expressions;
  if (tooMany || expressions.chars > DOCUMENT_LIMITS.expressionChars) {
    out.push({
      severity: 'error',
      code: 'document-too-large',
      message: tooMany
        ? `Node params hold ${expressions.count} expressions ({{ … }}); the limit is ${DOCUMENT_LIMITS.expressions}`
        : `Expressions ({{ … }}) in node params add up to ${formatSize(expressions.chars)}; the limit is ${formatSize(DOCUMENT_LIMITS.expressionChars)}`,
      path: ['nodes'],
    });
  }
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
  // Only valid ids and names: the others are reported already, and quoting a 100 KB name again helps nobody.
  const scan = (
    items: unknown[],
    field: 'id' | 'name',
    report: (value: string, i: number, item: Record<string, unknown>) => Diagnostic,
  ) => {
    const seen = new Set<string>();
    const valid = field === 'id' ? isSafeId : isValidName;
    items.forEach((item, i) => {
      if (!isRecord(item) || !valid(item[field])) return;
      const value = item[field] as string;
      if (seen.has(value)) out.push(report(value, i, item));
      seen.add(value);
    });
  };
  const safeId = (item: Record<string, unknown>) => (isSafeId(item.id) ? item.id : undefined);
  scan(nodes, 'id', (id, i, item) => ({
    severity: 'error',
    code: 'duplicate-id',
    message: `${isValidName(item.name) ? `${item.name}: node id` : 'Node id'} "${id}" is used by more than one node`,
    nodeId: id,
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
    edgeId: id,
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
      const { label, ...ids } = locate(json, issue.path);
      const field = issue.path.slice(2).join('.');
      diagnostics.push({
        severity: 'error',
        code: 'document-invalid',
        // Named like the compiler's diagnostics, so the canvas and the inspector show them the same way. zod quotes
        // values it refuses (an enum's), which may be 100 KB long.
        message: `${label && field ? `${label}: ${field}` : at}: ${clip(issue.message)}`,
        ...ids,
        path: issue.path,
      });
    }
  }
  diagnostics.push(...duplicates(Array.isArray(nodes) ? nodes : [], Array.isArray(edges) ? edges : []));
  if (diagnostics.length) return { ok: false, diagnostics: diagnostics.slice(0, DOCUMENT_LIMITS.diagnostics) };
  return { ok: true, doc: parsed.data as WorkflowDocument };
}
