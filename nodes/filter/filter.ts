// Which items pass the Filter node's conditions. Comparisons are the If node's (nodes/if/condition.ts), applied to a
// field of each item.
import { NodeError } from '../errors';
import { evaluateCondition, type Operator } from '../if/condition';
import { parsePath, readPath } from '../items';

export const COMBINES = ['all', 'any'] as const;
export const FILTER_MODES = ['keep', 'discard'] as const;

export interface Condition {
  /** A path inside each item; `''` is the item itself. */
  field: string;
  operator: Operator;
  /** Ignored by unary operators (isEmpty, isTrue…). */
  value?: unknown;
}

/** The If node's messages name its own "Compare with" field; here the value sits in a condition. */
export const conditionMessage = (message: string) =>
  message.replace(/^If: /, '').replace(' in "Compare with" (right)', '');

function failedOn(err: unknown, condition: Condition, at: number, itemIndex: number): unknown {
  if (!(err instanceof NodeError)) return err;
  return new NodeError(
    `Filter: conditions[${at}] ("${condition.field}" ${condition.operator}) failed on the item at index ${itemIndex}: ` +
      conditionMessage(err.message),
    { code: err.code, retryable: false, cause: err },
  );
}

/**
 * The items for which all (or any) conditions hold, in their order; with `mode` "discard", the others instead.
 * An empty list of conditions would hold for every item under "all" and none under "any"; the spec requires one.
 */
export function filterItems(
  items: readonly unknown[],
  conditions: readonly Condition[],
  combine: (typeof COMBINES)[number],
  mode: (typeof FILTER_MODES)[number],
): unknown[] {
  const compiled = conditions.map((c) => ({ ...c, segments: parsePath(c.field) }));
  const keep = mode === 'keep';
  return items.filter((item, itemIndex) => {
    const holds = (c: (typeof compiled)[number], at: number) => {
      try {
        return evaluateCondition(readPath(item, c.segments), c.operator, c.value);
      } catch (err) {
        throw failedOn(err, c, at, itemIndex);
      }
    };
    return (combine === 'all' ? compiled.every(holds) : compiled.some(holds)) === keep;
  });
}
