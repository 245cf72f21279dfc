// Fits a compiled JSONata expression with an EvalBudget: a step hook, a size check on every intermediate result,
// RE2 for regexes, and capped versions of the built-ins that can allocate without bound in a single step.
// Relies on JSONata's evaluation hooks and its per-evaluation `base` frame (jsonata 2.x).
import jsonata from 'jsonata';
import { EvalBudget, EvalLimitError, MAX_ITEMS, isJsonataFunction } from './eval-budget';
import { re2Engine } from './re2-engine';

type Compiled = ReturnType<typeof jsonata>;

interface Frame {
  base: Frame & { [BUDGET]?: EvalBudget; RegexEngine?: unknown };
  lookup(name: string | symbol): unknown;
}
/** What JSONata passes as `this` to a built-in. */
interface Focus {
  environment: Frame;
  createSequence(): unknown[];
}
interface ExprNode {
  type: string;
  value?: unknown;
}

/** A binding name no JSONata source can refer to (variable names cannot hold a space). */
const BUDGET_BINDING = 'baton budget';
const BUDGET = Symbol('baton.budget');
const ENTRY = Symbol.for('jsonata.__evaluate_entry');
const EXIT = Symbol.for('jsonata.__evaluate_exit');

/** The evaluation bindings that hand `budget` to the hooks. */
export function budgetBinding(budget: EvalBudget): Record<string, unknown> {
  return { [BUDGET_BINDING]: budget };
}

/** The evaluation's budget, found once and then kept on JSONata's per-evaluation base frame. */
function budgetOf(env: Frame): EvalBudget {
  const base = env.base;
  const kept = base[BUDGET];
  if (kept) return kept;
  const budget = base.lookup(BUDGET_BINDING);
  if (!(budget instanceof EvalBudget)) {
    throw new Error('A bounded JSONata expression was evaluated without a budget; call evaluateBounded');
  }
  base[BUDGET] = budget;
  base.RegexEngine = re2Engine(budget);
  return budget;
}

/** Characters a built-in or operator newly allocated for `result` (its elements already exist). */
function builtChars(result: unknown): number {
  if (typeof result === 'string') return result.length;
  if (Array.isArray(result)) return result.length * 8;
  if (result && typeof result === 'object' && !isJsonataFunction(result)) return Object.keys(result).length * 16;
  return 0;
}

function onEntry(_expr: ExprNode, _input: unknown, env: Frame): void {
  budgetOf(env).spend(1);
}

function onExit(expr: ExprNode, _input: unknown, env: Frame, result: unknown): void {
  const budget = budgetOf(env);
  budget.check(result);
  const builds = expr.type === 'function' || expr.type === 'apply' || (expr.type === 'binary' && expr.value === '&');
  if (builds) budget.spendChars(builtChars(result));
}

/** Length in code points, as JSONata counts it, without copying the string. */
function codePoints(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++, count++) {
    const unit = s.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return count;
}

function pad(this: Focus, str: string | undefined, width: number, char?: string): string | undefined {
  if (str === undefined) return undefined;
  const target = Math.trunc(width);
  budgetOf(this.environment).checkSize(Math.abs(target), 'a padded string');
  const padLength = Math.abs(target) - codePoints(str);
  if (!(padLength > 0)) return str;
  const fill = Array.from(char === undefined || char === '' ? ' ' : char);
  const whole = Math.floor(padLength / fill.length);
  const padding = fill.join('').repeat(whole) + fill.slice(0, padLength - whole * fill.length).join('');
  return target > 0 ? str + padding : padding + str;
}

function join(this: Focus, strs: string[] | undefined, separator = ''): string | undefined {
  if (strs === undefined) return undefined;
  let chars = separator.length * Math.max(0, strs.length - 1);
  for (const s of strs) chars += s.length;
  budgetOf(this.environment).checkSize(chars, 'a joined string');
  return strs.join(separator);
}

/** JSONata's number formatting in `$string`: 15 significant digits, and no Infinity/NaN. */
function jsonNumbers(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isNaN(value)) {
    if (!Number.isFinite(value)) throw { code: 'D1001', value, stack: new Error().stack };
    return Number.isInteger(value) ? value : Number(value.toPrecision(15));
  }
  return value && isJsonataFunction(value) ? '' : value;
}

/** Characters `JSON.stringify(value, null, 2)` adds for line breaks and indentation. */
function indentChars(value: unknown, depth: number): number {
  if (value === null || typeof value !== 'object' || isJsonataFunction(value)) return 0;
  const isArray = Array.isArray(value);
  const items: unknown[] = isArray ? value : Object.values(value);
  if (items.length === 0) return 0;
  let chars = 1 + 2 * depth;
  for (const item of items) chars += 1 + 2 * (depth + 1) + (isArray ? 0 : 1) + indentChars(item, depth + 1);
  return chars;
}

function string(this: Focus, arg: unknown, prettify = false): string | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'string') return arg;
  if (isJsonataFunction(arg)) return '';
  if (typeof arg === 'number' && !Number.isFinite(arg)) throw { code: 'D3001', value: arg, stack: new Error().stack };
  const value = Array.isArray(arg) && (arg as { outerWrapper?: boolean }).outerWrapper ? arg[0] : arg;
  const budget = budgetOf(this.environment);
  const compact = budget.measure(value);
  budget.checkSize(compact, 'a string');
  if (prettify) {
    budget.spendChars(compact); // the indentation walk
    budget.checkSize(compact + indentChars(value, 0), 'a string');
  }
  return JSON.stringify(value, jsonNumbers, prettify ? 2 : 0);
}

/** A text key equal for exactly the values JSONata's deep equality treats as equal. */
function equalityKey(value: unknown): string {
  if (value === undefined) return 'u';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return `${typeof value}:${String(value)}`;
  if (Array.isArray(value)) return `[${value.map(equalityKey).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${equalityKey((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** `$distinct` in linear time: JSONata's compares every pair, which user data can make quadratic. */
function distinct(this: Focus, arr: unknown): unknown {
  if (!Array.isArray(arr) || arr.length <= 1) return arr;
  const budget = budgetOf(this.environment);
  const results = (arr as { sequence?: boolean }).sequence === true ? this.createSequence() : [];
  const seen = new Set<string>();
  for (const value of arr) {
    if (isJsonataFunction(value)) {
      results.push(value);
      continue;
    }
    const key = equalityKey(value);
    budget.spendChars(key.length);
    if (!seen.has(key)) {
      seen.add(key);
      results.push(value);
    }
  }
  return results;
}

/** Same names and signatures as JSONata's own, so expressions read the same. */
const BOUNDED_BUILTINS: Array<[name: string, implementation: (...args: never[]) => unknown, signature: string]> = [
  ['pad', pad, '<s-ns?:s>'],
  ['join', join, '<a<s>s?:s>'],
  ['string', string, '<x-b?:s>'],
  ['distinct', distinct, '<x:x>'],
];

/** Installs the hooks and bounded built-ins on a freshly compiled expression. */
export function boundExpression(compiled: Compiled): Compiled {
  const assign = compiled.assign as unknown as (name: symbol, value: unknown) => void;
  assign(ENTRY, onEntry);
  assign(EXIT, onExit);
  for (const [name, implementation, signature] of BOUNDED_BUILTINS) {
    compiled.registerFunction(name, implementation as (...args: unknown[]) => unknown, signature);
  }
  return compiled;
}

/** JSONata's own guardrails, which are limits too: stack depth, range size, sequence length. */
const JSONATA_LIMIT_CODES = new Set(['D1011', 'D2014', 'D2015']);
/** What V8 throws when a single step outgrows the engine itself. */
const ENGINE_LIMIT = /^(Maximum call stack size exceeded|Invalid string length|Invalid array length)/;

/** The EvalLimitError an evaluation failure amounts to, or undefined when it is an ordinary expression error. */
export function asLimitError(err: unknown): EvalLimitError | undefined {
  if (err instanceof EvalLimitError) return err;
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (typeof e?.code === 'string' && JSONATA_LIMIT_CODES.has(e.code)) {
    const why = e.code === 'D1011' ? 'nests calls too deeply' : `builds a sequence of more than ${MAX_ITEMS} items`;
    return new EvalLimitError(`${why} (${String(e.message)})`);
  }
  if (err instanceof RangeError && ENGINE_LIMIT.test(err.message)) {
    return new EvalLimitError(`is too large or too deep for the evaluator (${err.message})`);
  }
  return undefined;
}
