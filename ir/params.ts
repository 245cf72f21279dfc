// Raw params → validated params. `resolveParams` runs per execution (workflow for control nodes, activity for
// the rest); `checkParams` is its static half, used by the compiler before anything can be evaluated.
import type { z } from 'zod';
import type { NodeSpec, ParamDef, ParamDefs, ParamsOf } from '../nodes/define';
import { inspectJson } from '../nodes/json-value';
import { ExpressionError, ParamError, clip, formatField, type ParamPath } from './errors';
import { EvalBudget, EvalLimitError, hasExpression, resolveTemplates, type ExpressionScope } from './expression';

export { ParamError } from './errors';

/** Cap for values whose param declares none. */
const FALLBACK_MAX_CHARS = 256 * 1024;

/** Absent, null and blank text count as "not filled in" for required params. */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A deep copy of a JSON default, so no run can mutate the spec's value. */
function copyDefault(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Raw params restricted to the spec's keys, with defaults filled in for absent ones. */
export function applyDefaults(spec: NodeSpec, raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(spec.params)) {
    const value = Object.prototype.hasOwnProperty.call(raw, key) ? raw[key] : undefined;
    const filled = value === undefined ? copyDefault(def.default) : value;
    if (filled !== undefined) out[key] = filled;
  }
  return out;
}

function firstIssue(error: z.ZodError, key: string): ParamError {
  const issue = error.issues[0];
  return new ParamError([key, ...issue.path], issue.message);
}

/**
 * Applies defaults, resolves expressions in params whose `ui.expression` is true, then validates each param
 * with its schema. Throws `ParamError` (or `ExpressionError`, `EvalLimitError`) naming the field. All of the
 * node's expressions share `budget`, so many small ones cannot add up to an unbounded amount of work.
 */
export async function resolveParams<P extends ParamDefs>(
  spec: NodeSpec<P>,
  raw: Record<string, unknown>,
  scope: ExpressionScope,
  budget: EvalBudget = new EvalBudget(),
): Promise<ParamsOf<P>> {
  const filled = applyDefaults(spec, raw ?? {});
  const out: Record<string, unknown> = {};
  const literals = raw ? literalCache(raw) : undefined;
  for (const [key, def] of Object.entries(spec.params) as Array<[string, ParamDef]>) {
    let value = filled[key];
    const literal = !(def.ui.expression && hasExpression(value));
    const known = literal ? literals?.get(key) : undefined;
    if (known) {
      if (known.present) out[key] = known.json === undefined ? known.value : JSON.parse(known.json);
      continue;
    }
    if (!literal) {
      try {
        value = await resolveTemplates(value, scope, [key], budget);
      } catch (err) {
        if (err instanceof ExpressionError || err instanceof EvalLimitError) {
          err.message = `Param "${formatField(err.path ?? [key])}": ${err.message}`;
        }
        throw err;
      }
      if (value === undefined && def.default !== undefined) value = copyDefault(def.default);
    }
    if (isMissing(value)) {
      if (def.ui.required)
        throw new ParamError(
          [key],
          `is required${hasExpression(filled[key]) ? ' (its expression produced no value)' : ''}`,
        );
      if (value === undefined) {
        if (literal) literals?.set(key, { present: false });
        continue;
      }
    }
    const parsed = def.schema.safeParse(value);
    if (!parsed.success) throw firstIssue(parsed.error, key);
    out[key] = parsed.data;
    if (literal) remember(literals, key, parsed.data);
  }
  return out as ParamsOf<P>;
}

/**
 * A param without expressions validates to the same value on every execution of its node, and plans are kept
 * (express runs walk a cached plan for every request): its validated value is remembered per raw params object,
 * and each execution gets a copy of it, so a runner that changes its params cannot reach the next execution.
 * Only plain JSON values are remembered; anything a schema turned into something else is validated every time.
 */
type Literal = { present: false } | { present: true; value?: unknown; json?: string };
const literalCaches = new WeakMap<object, Map<string, Literal>>();

function literalCache(raw: Record<string, unknown>): Map<string, Literal> {
  let cache = literalCaches.get(raw);
  if (!cache) literalCaches.set(raw, (cache = new Map()));
  return cache;
}

function remember(cache: Map<string, Literal> | undefined, key: string, value: unknown): void {
  if (!cache) return;
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number')
    cache.set(key, { present: true, value });
  else if (isPlainJson(value, 0)) cache.set(key, { present: true, json: JSON.stringify(value) });
}

function isPlainJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > 32) return false;
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value)) return value.every((item) => isPlainJson(item, depth + 1));
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((item) => item !== undefined && isPlainJson(item, depth + 1));
}

export interface ParamIssue {
  code: 'param-invalid' | 'param-required' | 'param-unknown';
  /** Relative to the node's params, e.g. ['headers', 'Accept']. */
  path: ParamPath;
  message: string;
}

/**
 * Static check of raw params: required ones present, literal values valid. Values holding `{{ … }}` in
 * expression-enabled params are only size-checked; the rest of their validation happens after resolution.
 */
export function checkParams(spec: NodeSpec, raw: Record<string, unknown>): ParamIssue[] {
  const issues: ParamIssue[] = [];
  const filled = applyDefaults(spec, raw);
  for (const [key, def] of Object.entries(spec.params) as Array<[string, ParamDef]>) {
    const value = filled[key];
    if (isMissing(value)) {
      if (def.ui.required) {
        issues.push({ code: 'param-required', path: [key], message: `Param "${key}" (${def.ui.label}) is required` });
        continue;
      }
      if (value === undefined) continue;
    }
    // List rows are checked as written: their item schemas accept expressions in the cells that may hold them.
    if (def.ui.expression && hasExpression(value) && def.ui.widget !== 'list') {
      const max = def.maxChars ?? FALLBACK_MAX_CHARS;
      const seen = inspectJson(value, { maxChars: max });
      if (!seen.ok)
        issues.push({ code: 'param-invalid', path: [key, ...seen.path], message: `Param "${key}" ${seen.message}` });
      continue;
    }
    const parsed = def.schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      issues.push({
        code: 'param-invalid',
        path: [key, ...issue.path],
        message: new ParamError([key, ...issue.path], issue.message).message,
      });
    }
  }
  for (const key of Object.keys(raw)) {
    if (!Object.prototype.hasOwnProperty.call(spec.params, key)) {
      issues.push({
        code: 'param-unknown',
        path: [key],
        message: `Param "${clip(key)}" is not a param of ${spec.type} v${spec.version}; it is ignored`,
      });
    }
  }
  return issues;
}
