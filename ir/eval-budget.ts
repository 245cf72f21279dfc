// Deterministic bounds on expression evaluation. They count work instead of timing it: inside a workflow task the
// clock does not advance, and a limit must fail a replay exactly where it failed the original run.
import type { ParamPath } from './errors';

export interface EvalLimits {
  /** Evaluation steps: one per JSONata sub-expression evaluated, plus one per CHARS_PER_STEP characters built. */
  maxSteps: number;
  /** Largest value, in JSON characters, that any part of an expression may produce or pass on. */
  maxResultChars: number;
}

/** Generous for real expressions (they take hundreds of steps); about a second of work at worst. */
export const DEFAULT_EVAL_LIMITS: Readonly<EvalLimits> = { maxSteps: 1_000_000, maxResultChars: 32 * 1024 * 1024 };

/** Building text costs a step per this many characters, so repeating a large `$string` in a loop runs out. */
export const CHARS_PER_STEP = 64;
/** Longest array or sequence (JSONata's `sequence` option, the range operator, results of built-ins). */
export const MAX_ITEMS = 1_000_000;
/** Deepest value an expression may build; JSON results stop at 64 levels anyway. */
const MAX_BUILT_DEPTH = 1000;

/** An expression ran past its step or size budget. `path` locates it inside the node's params when known. */
export class EvalLimitError extends Error {
  readonly code = 'eval-limit';
  readonly retryable = false;
  readonly expression: string;
  path?: ParamPath;

  constructor(message: string, expression = '', path?: ParamPath) {
    super(message);
    this.name = 'EvalLimitError';
    this.expression = expression;
    this.path = path;
  }
}

/** JSONata's own function values (built-ins and lambdas): not data, never measured. */
export function isJsonataFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  const tagged = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return tagged._jsonata_function === true || tagged._jsonata_lambda === true;
}

/**
 * The work one node may spend on its expressions: every expression of its params draws on the same budget.
 * Sizes are JSON characters as `inspectJson` counts them, measured once per object, so a value that holds the
 * same array twice counts it twice (as its JSON would) without walking it twice.
 */
export class EvalBudget {
  readonly limits: Readonly<EvalLimits>;
  private used = 0;
  private readonly sizes = new WeakMap<object, number>();

  constructor(limits: Partial<EvalLimits> = {}) {
    this.limits = { ...DEFAULT_EVAL_LIMITS, ...limits };
  }

  /** Steps spent so far (whole steps; building text counts fractions of one). */
  get steps(): number {
    return Math.ceil(this.used);
  }

  spend(steps: number): void {
    this.used += steps;
    if (this.used > this.limits.maxSteps) {
      throw new EvalLimitError(
        `exceeded the evaluation budget of ${this.limits.maxSteps} steps; simplify it, or process large data in a Code node`,
      );
    }
  }

  /** Charges for `chars` characters of newly built text or structure. */
  spendChars(chars: number): void {
    this.spend(chars / CHARS_PER_STEP);
  }

  /** Fails before a built-in allocates a value larger than the size limit. */
  checkSize(chars: number, what: string): void {
    if (chars > this.limits.maxResultChars) throw this.tooLarge(what, chars);
  }

  /** The JSON size of `value`; fails as soon as it passes the size limit. */
  measure(value: unknown, depth = 0): number {
    if (typeof value === 'string') return value.length + 2;
    if (value === null || typeof value !== 'object' || isJsonataFunction(value)) return 8;
    const known = this.sizes.get(value);
    if (known !== undefined) return known;
    if (depth > MAX_BUILT_DEPTH) {
      throw new EvalLimitError(`builds a value nested deeper than ${MAX_BUILT_DEPTH} levels`);
    }
    const max = this.limits.maxResultChars;
    let size = 2;
    if (Array.isArray(value)) {
      if (value.length > MAX_ITEMS) throw new EvalLimitError(`builds an array of more than ${MAX_ITEMS} items`);
      for (const item of value as unknown[]) {
        size += this.measure(item, depth + 1) + 1;
        if (size > max) throw this.tooLarge('a value', size);
      }
    } else {
      for (const key of Object.keys(value)) {
        size += key.length + 4 + this.measure((value as Record<string, unknown>)[key], depth + 1);
        if (size > max) throw this.tooLarge('a value', size);
      }
    }
    this.sizes.set(value, size);
    return size;
  }

  private tooLarge(what: string, chars: number): EvalLimitError {
    const over = chars === Infinity ? '' : ` (${chars} characters or more)`;
    return new EvalLimitError(
      `builds ${what} larger than the limit of ${this.limits.maxResultChars} characters${over}; ` +
        'filter the data first, or process it in a Code node',
    );
  }
}
