// Drops items equal to another one, compared whole (key order aside) or on chosen fields.
import { canonicalJson, itemsError, parsePath, readPath, splitPathList } from '../items';

export const COMPARE_BY = ['item', 'fields'] as const;
export const KEEP = ['first', 'last'] as const;

/**
 * One item per distinct key, in list order. `keep` "last" keeps each key's last occurrence, at its own place.
 * Values compare exactly as JSON: 18 and "18" differ, and a missing field differs from null.
 */
export function removeDuplicates(
  items: readonly unknown[],
  compare: (typeof COMPARE_BY)[number],
  fields: string,
  keep: (typeof KEEP)[number],
): unknown[] {
  const paths = splitPathList(fields).map(parsePath);
  if (compare === 'fields' && paths.length === 0)
    throw itemsError(
      'Remove duplicates',
      'no "Fields to compare" are set: name the fields, such as "email", or compare whole items',
      'param-invalid',
    );
  const keyOf =
    compare === 'item' ? canonicalJson : (item: unknown) => canonicalJson(paths.map((p) => readPath(item, p)));
  const seen = new Set<string>();
  const kept: unknown[] = [];
  const from = keep === 'first' ? 0 : items.length - 1;
  const step = keep === 'first' ? 1 : -1;
  for (let i = from; i >= 0 && i < items.length; i += step) {
    const key = keyOf(items[i]);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(items[i]);
  }
  return keep === 'first' ? kept : kept.reverse();
}
