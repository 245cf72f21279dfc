// Turns a list field of each item into items of their own, optionally carrying the item's other fields along.
import { assignOwn, itemsError, parsePath, readPath, splitPathList, writePath } from '../items';
import { isObject } from '../json-value';

export const INCLUDE = ['none', 'all', 'selected'] as const;
export const MAX_SPLIT_ITEMS = 100_000;

export interface SplitOptions {
  splitField: string;
  include: (typeof INCLUDE)[number];
  /** Comma-separated paths, for `include` "selected". */
  includeFields: string;
  /** Where each element goes in its output object; blank: objects merge, other values go under the field's name. */
  destination: string;
}

type Json = Record<string, unknown>;

/** Like the node's items: a list, one value, or none. */
const elementsOf = (value: unknown): readonly unknown[] =>
  Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];

/** A shallow copy of `item` without the field at `segments` (copied along the path, never mutated). */
function without(item: Json, segments: readonly string[]): Json {
  const [head, ...rest] = segments;
  const copy = { ...item };
  if (!Object.prototype.hasOwnProperty.call(copy, head)) return copy;
  if (rest.length === 0) delete copy[head];
  else if (isObject(copy[head])) writePath(copy, [head], without(copy[head] as Json, rest));
  return copy;
}

/** The fields of `item` that each of its elements carries: all but the split field, or those at `selected`. */
function carried(
  item: unknown,
  splitPath: string[],
  include: SplitOptions['include'],
  selected: string[][],
): Json | undefined {
  if (include === 'none') return undefined;
  if (include === 'all') return isObject(item) ? without(item, splitPath) : {};
  const out: Json = {};
  for (const path of selected) {
    const value = readPath(item, path);
    if (value !== undefined) writePath(out, path, value);
  }
  return out;
}

/**
 * One output item per element of each item's list at `splitField`, in order. Counts the elements before building
 * anything, and fails past MAX_SPLIT_ITEMS.
 */
export function splitOut(items: readonly unknown[], o: SplitOptions): unknown[] {
  const selected = splitPathList(o.includeFields).map(parsePath);
  if (o.include === 'selected' && selected.length === 0)
    throw itemsError(
      'Split out',
      'no "Fields to include" are set: name them, such as "orderId, customer.email", or include all other fields',
      'param-invalid',
    );
  const splitPath = parsePath(o.splitField);
  const lists = items.map((item) => elementsOf(readPath(item, splitPath)));
  const total = lists.reduce((n, list) => n + list.length, 0);
  if (total > MAX_SPLIT_ITEMS)
    throw itemsError(
      'Split out',
      `"${o.splitField}" holds ${total.toLocaleString('en')} elements across ${items.length.toLocaleString('en')} ` +
        `item(s); Split out produces at most ${MAX_SPLIT_ITEMS.toLocaleString('en')} items. Filter or limit the ` +
        'input first, or split it in parts with a loop',
      'items-limit',
    );
  const destination = o.destination.trim() === '' ? undefined : parsePath(o.destination);
  const named = destination ?? splitPath.slice(-1);
  const out: unknown[] = [];
  items.forEach((item, i) => {
    const base = carried(item, splitPath, o.include, selected);
    for (const element of lists[i]) {
      if (!base && !destination) {
        out.push(element);
        continue;
      }
      const shaped: Json = { ...base };
      // The element's own fields win over the item's on a name clash.
      if (!destination && isObject(element)) assignOwn(shaped, element);
      else writePath(shaped, named, element);
      out.push(shaped);
    }
  });
  return out;
}
