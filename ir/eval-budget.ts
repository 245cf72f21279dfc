// Deterministic bounds on expression evaluation. They count work instead of timing it: inside a workflow task the
// clock does not advance, and a limit must fail a replay exactly where it failed the original run.
import type { ParamPath } from './errors';

export interface EvalLimits {
  /** Evaluation steps: one per JSONata sub-expression evaluated, plus one per CHARS_PER_STEP characters built. */
  maxSteps: number;
  /** Largest value, in JSON characters, that any part of an expression may produce or pass on. */
  maxResultChars: number;
}

/** Activities and the editor: generous for real expressions (they take hundreds of steps), under a second of work. */
export const DEFAULT_EVAL_LIMITS: Readonly<EvalLimits> = { maxSteps: 1_000_000, maxResultChars: 32 * 1024 * 1024 };

/**
 * Inside a workflow a step costs 300–400 µs instead of about 1 µs: the Temporal SDK records a stack trace for
 * every promise, and JSONata makes several per step. 5,000 steps keep a node's expressions under ~2 s of the
 * workflow task (the SDK fails a task whose code runs 5 s without yielding). Values there stay small anyway:
 * outputs over 256 KB travel as blob references, and nodes reading them are evaluated in an activity.
 */
export const WORKFLOW_EVAL_LIMITS: Readonly<EvalLimits> = { maxSteps: 5_000, maxResultChars: 2 * 1024 * 1024 };

/** Whether this code runs inside a Temporal workflow (the SDK's own test, `inWorkflowContext`, reads the same global). */
function inWorkflow(): boolean {
  return (globalThis as { __TEMPORAL_ACTIVATOR__?: unknown }).__TEMPORAL_ACTIVATOR__ !== undefined;
}

/** The limits for where this evaluation runs; deterministic, so a replay draws the same limit. */
export function defaultEvalLimits(): Readonly<EvalLimits> {
  return inWorkflow() ? WORKFLOW_EVAL_LIMITS : DEFAULT_EVAL_LIMITS;
}

/** Building text costs a step per this many characters, so repeating a large `$string` in a loop runs out. */
export const CHARS_PER_STEP = 64;
/** Longest array or sequence (JSONata's `sequence` option, the range operator, results of built-ins). */
export const MAX_ITEMS = 1_000_000;
/** Deepest value an expression may build; JSON results stop at 64 levels anyway. */
const MAX_DEPTH = 1000;

interface Shape {
  size: number;
  depth: number;
}
/** Arrays and objects: what can nest, and what JSONata's function values are not. */
const isContainer = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !isJsonataFunction(value);
/** JSON characters of a string with its quotes; other scalars count 8, as `inspectJson` counts numbers. */
const scalarSize = (value: unknown) => (typeof value === 'string' ? value.length + 2 : 8);
const deepError = () => new EvalLimitError(`builds a value nested deeper than ${MAX_DEPTH} levels`);

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
  private readonly shapes = new WeakMap<object, Shape>();

  /** Limits left out default to those for where the evaluation runs (workflow or not). */
  constructor(limits: Partial<EvalLimits> = {}) {
    const defaults = defaultEvalLimits();
    this.limits = {
      maxSteps: limits.maxSteps ?? defaults.maxSteps,
      maxResultChars: limits.maxResultChars ?? defaults.maxResultChars,
    };
  }

  /** Steps spent so far. */
  get steps(): number {
    return this.used;
  }

  spend(steps: number): void {
    this.used += steps;
    if (this.used > this.limits.maxSteps) {
      throw new EvalLimitError(
        `exceeded the evaluation budget of ${this.limits.maxSteps} steps; simplify it, or process large data in a Code node`,
      );
    }
  }

  /** Charges for `chars` characters of newly built text or structure (whole steps, so counts add up). */
  spendChars(chars: number): void {
    if (chars > 0) this.spend(Math.ceil(chars / CHARS_PER_STEP));
  }

  /** Fails before a built-in allocates a value larger than the size limit. */
  checkSize(chars: number, what: string): void {
    if (chars > this.limits.maxResultChars) throw this.tooLarge(what, chars);
  }

  /** Fails when `value` is larger, or nested deeper, than any value an expression may hold. */
  check(value: unknown): void {
    if (isContainer(value)) this.shape(value, 0);
    else this.checkSize(scalarSize(value), 'a value');
  }

  /** The JSON size of `value` in characters; fails as soon as a container passes the size limit. */
  measure(value: unknown): number {
    return isContainer(value) ? this.shape(value, 0).size : scalarSize(value);
  }

  /**
   * Size and depth, memoized per object. Capping the depth of every value keeps built-ins that recurse
   * (`$string`, `=`, `**`) far from the engine's stack limit, which would otherwise decide the outcome by
   * how deep the call stack happened to be: not deterministic.
   */
  private shape(value: object, level: number): Shape {
    const known = this.shapes.get(value);
    if (known) return known;
    if (level > MAX_DEPTH) throw deepError();
    const max = this.limits.maxResultChars;
    const shape = { size: 2, depth: 1 };
    const add = (child: unknown, extra: number) => {
      if (isContainer(child)) {
        const inner = this.shape(child, level + 1);
        shape.size += inner.size + extra;
        shape.depth = Math.max(shape.depth, inner.depth + 1);
      } else {
        shape.size += scalarSize(child) + extra;
      }
      if (shape.size > max) throw this.tooLarge('a value', shape.size);
    };
    if (Array.isArray(value)) {
      if (value.length > MAX_ITEMS) throw new EvalLimitError(`builds an array of more than ${MAX_ITEMS} items`);
      for (const item of value as unknown[]) add(item, 1);
    } else {
      for (const key of Object.keys(value)) add((value as Record<string, unknown>)[key], key.length + 4);
    }
    if (shape.depth > MAX_DEPTH) throw deepError();
    this.shapes.set(value, shape);
    return shape;
  }

  private tooLarge(what: string, chars: number): EvalLimitError {
    return new EvalLimitError(
      `builds ${what} larger than the limit of ${this.limits.maxResultChars} characters (${chars} or more); ` +
        'filter the data first, or process it in a Code node',
    );
  }
}
