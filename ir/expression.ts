// `{{ … }}` templates with JSONata inside: the one evaluator used by the editor preview, the workflow and the
// activities. Pure (no Node built-ins) and deterministic given its scope: the workflow bundle imports it.
import jsonata from 'jsonata';
import { EvalBudget, EvalLimitError, MAX_ITEMS, isJsonataFunction, type EvalLimits } from './eval-budget';
import { ExpressionError, formatField, type ParamPath } from './errors';
import { asLimitError, boundExpression, budgetBinding } from './jsonata-limits';
import { compileRe2 } from './re2-engine';
import { isTemplate, parseTemplate, preview, type TemplatePart } from './template';

export { ExpressionError } from './errors';
export { DEFAULT_EVAL_LIMITS, WORKFLOW_EVAL_LIMITS, EvalBudget, EvalLimitError, type EvalLimits } from './eval-budget';

export interface ExpressionScope {
  /** The node's input; also the JSONata root `$`. */
  input: unknown;
  /** The trigger payload. */
  trigger: unknown;
  /** Output of the node with that name (`$node("Name")`). */
  node: (name: string) => unknown | Promise<unknown>;
  run: { id: string; workflowId: string };
  /** `$resumeUrl("Wait")`: the signed resume link of a Wait node of this run. Only nodes run by a worker have it. */
  resumeUrl?: (nodeName: string) => string;
}

const MAX_STACK_DEPTH = 300;
const MAX_WALK_DEPTH = 64;
const CACHE_SIZE = 500;

type Compiled = ReturnType<typeof jsonata>;
const cache = new Map<string, Compiled>();

function compile(expr: string, path?: ParamPath): Compiled {
  const hit = cache.get(expr);
  if (hit) {
    cache.delete(expr); // re-insert: Map order doubles as least-recently-used order
    cache.set(expr, hit);
    return hit;
  }
  let compiled: Compiled;
  try {
    compiled = jsonata(expr, { stack: MAX_STACK_DEPTH, sequence: MAX_ITEMS });
    forEachRegex(compiled.ast(), compileRe2);
  } catch (err) {
    throw expressionError('is invalid', expr, err, path);
  }
  boundExpression(compiled);
  cache.set(expr, compiled);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return compiled;
}

/** Calls `visit` on every regex literal of a JSONata syntax tree, so RE2 rejects what it cannot run up front. */
function forEachRegex(node: unknown, visit: (regex: RegExp) => unknown, seen = new Set<object>()): void {
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  if (node instanceof RegExp) {
    visit(node);
    return;
  }
  for (const child of Object.values(node)) forEachRegex(child, visit, seen);
}

function reasonOf(err: unknown): string {
  return err && typeof err === 'object' && 'message' in err
    ? String((err as { message: unknown }).message)
    : String(err);
}

function where(path?: ParamPath): string {
  return path && path.length ? ` in "${formatField(path)}"` : '';
}

function expressionError(what: string, expr: string, err: unknown, path?: ParamPath): ExpressionError {
  return new ExpressionError(`Expression {{ ${preview(expr)} }}${where(path)} ${what}: ${reasonOf(err)}`, expr, path);
}

function limitError(expr: string, reason: string, path?: ParamPath): EvalLimitError {
  return new EvalLimitError(`Expression {{ ${preview(expr)} }}${where(path)} ${reason}`, expr, path);
}

export interface BoundedOptions extends Partial<EvalLimits> {
  /** Shares one budget across several evaluations (a node's params); the limits above are then ignored. */
  budget?: EvalBudget;
  /** Where the expression sits in the node's params, for error messages. */
  path?: ParamPath;
}

/**
 * Evaluates one JSONata expression (no `{{ }}`) within a deterministic budget of steps and sizes, and returns
 * plain JSON plus the steps it took. The same expression on the same scope always takes the same steps, so a
 * limit fails a workflow replay exactly where it failed the run. Throws ExpressionError or EvalLimitError.
 */
export async function evaluateBounded(
  expr: string,
  scope: ExpressionScope,
  options: BoundedOptions = {},
): Promise<{ value: unknown; steps: number }> {
  const budget = options.budget ?? new EvalBudget(options);
  const before = budget.steps;
  const value = await evaluate(expr, scope, options.path ?? [], budget);
  return { value, steps: budget.steps - before };
}

async function evaluate(expr: string, scope: ExpressionScope, path: ParamPath, budget: EvalBudget): Promise<unknown> {
  const compiled = compile(expr, path);
  const bindings = {
    input: scope.input,
    trigger: scope.trigger,
    run: scope.run,
    node: (name: unknown) => scope.node(String(name)),
    resumeUrl: (name: unknown) => {
      if (!scope.resumeUrl)
        throw new Error(
          '$resumeUrl(…) is available in nodes a worker runs (HTTP Request, Set fields, Code…), not in If, Switch, Merge or Wait',
        );
      return scope.resumeUrl(String(name));
    },
    ...budgetBinding(budget),
  };
  let result: unknown;
  try {
    result = await compiled.evaluate(scope.input, bindings);
  } catch (err) {
    const limit = asLimitError(err);
    if (limit) throw limitError(expr, limit.message, path);
    throw expressionError('failed', expr, err, path);
  }
  const walk = { chars: 0, expr, path, budget };
  const json = toJson(result, walk, 0);
  spendChars(budget, walk.chars, expr, path); // copying the result
  return json;
}

function spendChars(budget: EvalBudget, chars: number, expr: string, path: ParamPath): void {
  try {
    budget.spendChars(chars);
  } catch (err) {
    throw err instanceof EvalLimitError ? limitError(expr, err.message, path) : err;
  }
}

/** JSONata results are arrays tagged as sequences and may be functions; hand back plain JSON only. */
function toJson(
  value: unknown,
  walk: { chars: number; expr: string; path: ParamPath; budget: EvalBudget },
  depth: number,
): unknown {
  if (depth > MAX_WALK_DEPTH) {
    throw expressionError('failed', walk.expr, `result is nested deeper than ${MAX_WALK_DEPTH} levels`, walk.path);
  }
  if (walk.chars > walk.budget.limits.maxResultChars) {
    throw limitError(walk.expr, `yields more than ${walk.budget.limits.maxResultChars} characters`, walk.path);
  }
  if (value === null || value === undefined) return value;
  if (isJsonataFunction(value)) {
    throw expressionError('failed', walk.expr, 'it yields a function, not a value; call it with arguments', walk.path);
  }
  walk.chars += typeof value === 'string' ? value.length + 2 : 8;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    return value.map((v) => (v === undefined ? null : toJson(v, walk, depth + 1)));
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    walk.chars += key.length + 4;
    const v = toJson((value as Record<string, unknown>)[key], walk, depth + 1);
    if (v !== undefined) defineKey(out, key, v);
  }
  return out;
}

/** Assignment would treat a `__proto__` key as the prototype setter; define it as plain data instead. */
function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

async function resolveString(
  template: string,
  scope: ExpressionScope,
  path: ParamPath,
  budget: EvalBudget,
): Promise<unknown> {
  let parts: TemplatePart[];
  try {
    parts = parseTemplate(template);
  } catch (err) {
    if (err instanceof ExpressionError) err.path = path;
    throw err;
  }
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only && 'expr' in only) return evaluate(only.expr, scope, path, budget);
  let text = '';
  for (const part of parts) {
    if ('text' in part) {
      text += part.text;
      continue;
    }
    const piece = stringify(await evaluate(part.expr, scope, path, budget));
    spendChars(budget, piece.length, part.expr, path);
    text += piece;
    if (text.length > budget.limits.maxResultChars) {
      throw limitError(part.expr, `makes the text longer than ${budget.limits.maxResultChars} characters`, path);
    }
  }
  return text;
}

function stringify(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * Resolves every `{{ … }}` in `value`, walking objects and arrays. A string that is exactly one `{{ expr }}`
 * yields the expression's raw value (number, object…); text around expressions yields a string.
 * `path` prefixes error locations (resolveParams passes the param key). Every expression inside draws on
 * `budget`; pass one budget for all of a node's params.
 */
export async function resolveTemplates(
  value: unknown,
  scope: ExpressionScope,
  path: ParamPath = [],
  budget: EvalBudget = new EvalBudget(),
): Promise<unknown> {
  if (path.length > MAX_WALK_DEPTH)
    throw new ExpressionError(`Value at "${formatField(path)}" is nested too deeply`, '', path);
  if (typeof value === 'string') return isTemplate(value) ? resolveString(value, scope, path, budget) : value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(await resolveTemplates(value[i], scope, [...path, i], budget));
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const resolved = await resolveTemplates((value as Record<string, unknown>)[key], scope, [...path, key], budget);
      defineKey(out, key, resolved);
    }
    return out;
  }
  return value;
}

/** Whether any string inside `value` holds `{{`. */
export function hasExpression(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return isTemplate(value);
  if (depth > MAX_WALK_DEPTH || !value || typeof value !== 'object') return false;
  const items = Array.isArray(value) ? value : Object.values(value);
  return items.some((v) => hasExpression(v, depth + 1));
}

export interface TemplateProblem {
  path: ParamPath;
  message: string;
}

/** Syntax-checks every template inside `value` without evaluating anything (used by the compiler). */
export function checkTemplates(value: unknown, path: ParamPath = []): TemplateProblem[] {
  if (typeof value === 'string') {
    if (!isTemplate(value)) return [];
    try {
      for (const part of parseTemplate(value)) if ('expr' in part) compile(part.expr, path);
      return [];
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // A template syntax error (an unclosed `{{`) does not know where its text sits: name the field, as at run time.
      const located = err instanceof ExpressionError && err.path !== undefined;
      return [{ path, message: located || !path.length ? message : `Param "${formatField(path)}": ${message}` }];
    }
  }
  if (path.length > MAX_WALK_DEPTH || !value || typeof value !== 'object') return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([k, v]) => checkTemplates(v, [...path, k]));
}
