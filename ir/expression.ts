// `{{ … }}` templates with JSONata inside: the one evaluator used by the editor preview, the workflow and the
// activities. Pure (no Node built-ins) and deterministic given its scope: the workflow bundle imports it.
import jsonata from 'jsonata';
import { ExpressionError, formatField, type ParamPath } from './errors';
import { isTemplate, parseTemplate, preview, type TemplatePart } from './template';

export { ExpressionError } from './errors';

export interface ExpressionScope {
  /** The node's input; also the JSONata root `$`. */
  input: unknown;
  /** The trigger payload. */
  trigger: unknown;
  /** Output of the node with that name (`$node("Name")`). */
  node: (name: string) => unknown | Promise<unknown>;
  run: { id: string; workflowId: string };
}

/**
 * Evaluation budget. Counted in JSONata evaluation steps rather than time because the workflow's clock does not
 * advance while it computes, and a runaway expression there would stall the run's workflow task.
 */
const MAX_STEPS = 300_000;
const MAX_STACK_DEPTH = 300;
const MAX_SEQUENCE = 1_000_000;
const MAX_WALK_DEPTH = 64;
const CACHE_SIZE = 500;

const STEPS = Symbol('baton.expressionSteps');
const ENTRY = Symbol.for('jsonata.__evaluate_entry');

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
    compiled = jsonata(expr, { stack: MAX_STACK_DEPTH, sequence: MAX_SEQUENCE });
  } catch (err) {
    throw expressionError('is invalid', expr, err, path);
  }
  // Tail calls do not deepen the stack, so loops like `($f := function(){ $f() }; $f())` need a step budget.
  (compiled.assign as unknown as (name: symbol, value: unknown) => void)(
    ENTRY,
    (_node: unknown, _input: unknown, env: any) => {
      const base = env.base;
      base[STEPS] = (base[STEPS] ?? 0) + 1;
      if (base[STEPS] > MAX_STEPS) {
        throw {
          code: 'BATON_BUDGET',
          message: `exceeded the evaluation budget of ${MAX_STEPS} steps; simplify it or use a Code node`,
        };
      }
    },
  );
  cache.set(expr, compiled);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return compiled;
}

function expressionError(what: string, expr: string, err: unknown, path?: ParamPath): ExpressionError {
  const reason =
    err && typeof err === 'object' && 'message' in err ? String((err as { message: unknown }).message) : String(err);
  const where = path && path.length ? ` in "${formatField(path)}"` : '';
  return new ExpressionError(`Expression {{ ${preview(expr)} }}${where} ${what}: ${reason}`, expr, path);
}

async function evaluate(expr: string, scope: ExpressionScope, path: ParamPath): Promise<unknown> {
  const compiled = compile(expr, path);
  const bindings = {
    input: scope.input,
    trigger: scope.trigger,
    run: scope.run,
    node: (name: unknown) => scope.node(String(name)),
  };
  let result: unknown;
  try {
    result = await compiled.evaluate(scope.input, bindings);
  } catch (err) {
    throw expressionError('failed', expr, err, path);
  }
  return toJson(result, expr, path, 0);
}

/** Native functions and JSONata's own function objects (built-ins and lambdas). */
function isFunction(value: object | string | number | boolean): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object') return false;
  const tagged = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return tagged._jsonata_function === true || tagged._jsonata_lambda === true;
}

/** JSONata results are arrays tagged as sequences and may be functions; hand back plain JSON only. */
function toJson(value: unknown, expr: string, path: ParamPath, depth: number): unknown {
  if (depth > MAX_WALK_DEPTH)
    throw expressionError('failed', expr, `result is nested deeper than ${MAX_WALK_DEPTH} levels`, path);
  if (value === null || value === undefined) return value;
  if (isFunction(value)) {
    throw expressionError('failed', expr, 'it yields a function, not a value; call it with arguments', path);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : toJson(v, expr, path, depth + 1)));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = toJson((value as Record<string, unknown>)[key], expr, path, depth + 1);
    if (v !== undefined) defineKey(out, key, v);
  }
  return out;
}

/** Assignment would treat a `__proto__` key as the prototype setter; define it as plain data instead. */
function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

async function resolveString(template: string, scope: ExpressionScope, path: ParamPath): Promise<unknown> {
  let parts: TemplatePart[];
  try {
    parts = parseTemplate(template);
  } catch (err) {
    if (err instanceof ExpressionError) err.path = path;
    throw err;
  }
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only && 'expr' in only) return evaluate(only.expr, scope, path);
  let text = '';
  for (const part of parts) {
    text += 'text' in part ? part.text : stringify(await evaluate(part.expr, scope, path));
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
 * `path` prefixes error locations (resolveParams passes the param key).
 */
export async function resolveTemplates(value: unknown, scope: ExpressionScope, path: ParamPath = []): Promise<unknown> {
  if (path.length > MAX_WALK_DEPTH)
    throw new ExpressionError(`Value at "${formatField(path)}" is nested too deeply`, '', path);
  if (typeof value === 'string') return isTemplate(value) ? resolveString(value, scope, path) : value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(await resolveTemplates(value[i], scope, [...path, i]));
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      defineKey(out, key, await resolveTemplates((value as Record<string, unknown>)[key], scope, [...path, key]));
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
      return [{ path, message: err instanceof Error ? err.message : String(err) }];
    }
  }
  if (path.length > MAX_WALK_DEPTH || !value || typeof value !== 'object') return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([k, v]) => checkTemplates(v, [...path, k]));
}
