// Items → one object: the whole list under one field, or the values of chosen fields collected into lists.
import { itemsError, parsePath, readPath, writePath } from '../items';

export const AGGREGATE_MODES = ['items', 'fields'] as const;

type Json = Record<string, unknown>;

/** The output field a collected path goes to: its rename, else the path's last part ("user.email" → "email"). */
export const outputNameOf = (path: string, rename: string): string => rename.trim() || (parsePath(path).pop() ?? '');

/** `{ [outputField]: items }`; a dotted `outputField` nests. */
export function collectItems(items: readonly unknown[], outputField: string): Json {
  const out: Json = {};
  writePath(out, parsePath(outputField), [...items]);
  return out;
}

/**
 * One list per entry of `fields` (path → output name), each holding that field's value in every item, in order.
 * With `skipEmpty`, missing and null values are left out (the lists may then differ in length); otherwise they are null.
 */
export function collectFields(items: readonly unknown[], fields: Record<string, string>, skipEmpty: boolean): Json {
  const entries = Object.entries(fields);
  if (entries.length === 0)
    throw itemsError(
      'Aggregate',
      'no "Fields to collect" are set: add a field path such as "user.email", or collect whole items',
      'param-invalid',
    );
  const out: Json = {};
  for (const [path, rename] of entries) {
    const segments = parsePath(path);
    const values: unknown[] = [];
    for (const item of items) {
      const value = readPath(item, segments);
      if (value !== undefined && value !== null) values.push(value);
      else if (!skipEmpty) values.push(null);
    }
    writePath(out, parsePath(outputNameOf(path, rename)), values);
  }
  return out;
}
