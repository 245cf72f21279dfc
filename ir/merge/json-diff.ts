// Structural equality and leaf-level differences of JSON values, the vocabulary of the three-way merge
// (ir/merge/three-way.ts). Lists whose rows all carry a unique `id` (or `key`) are compared row by row by that key,
// so a row inserted at the top does not look like every row changed.

export type MergePath = Array<string | number>;

export type Json = unknown;

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep equality of JSON values; an absent key equals `undefined`, key order does not matter. */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!jsonEqual(a[key], b[key])) return false;
  return true;
}

const ROW_KEYS = ['id', 'key'] as const;

/**
 * The field that identifies the rows of every given list (`id`, else `key`): each row an object with a unique
 * string there. Undefined when any list has a row without one; such lists are compared by index.
 */
export function rowKeyField(lists: unknown[][]): 'id' | 'key' | undefined {
  return ROW_KEYS.find((field) =>
    lists.every((rows) => {
      const seen = new Set<string>();
      return rows.every((row) => {
        const key = isPlainObject(row) ? row[field] : undefined;
        if (typeof key !== 'string' || seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }),
  );
}

/** Rows of a keyed list by their key. */
export function rowsByKey(rows: unknown[], field: 'id' | 'key'): Map<string, unknown> {
  return new Map(rows.map((row) => [(row as Record<string, string>)[field], row]));
}

/**
 * The order of a merged list of keys: the side that reordered, added or removed something leads (so merging with an
 * unchanged side reproduces the other side exactly); keys only the other side has follow, in its order.
 */
export function mergedOrder(
  base: string[],
  ours: string[],
  theirs: string[],
  keep: (key: string) => boolean,
): string[] {
  const oursUnchanged = ours.length === base.length && ours.every((k, i) => k === base[i]);
  const [lead, follow] = oursUnchanged ? [theirs, ours] : [ours, theirs];
  const out = lead.filter(keep);
  const seen = new Set(out);
  for (const key of [...follow, ...base]) {
    if (!seen.has(key) && keep(key)) {
      out.push(key);
      seen.add(key);
    }
  }
  return out;
}

export interface LeafChange {
  path: MergePath;
  before: Json;
  after: Json;
}

/**
 * Where `after` differs from `before`, as deep as both sides keep the same shape: one entry per changed param or
 * field rather than one for a whole object. Keyed rows are located by their key, other rows by index.
 */
export function diffPaths(before: Json, after: Json, path: MergePath = []): LeafChange[] {
  if (jsonEqual(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((key) => diffPaths(before[key], after[key], [...path, key]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const field = rowKeyField([before, after]);
    if (field) {
      const b = rowsByKey(before, field);
      const a = rowsByKey(after, field);
      const sameOrder =
        [...b.keys()].filter((k) => a.has(k)).join('\0') === [...a.keys()].filter((k) => b.has(k)).join('\0');
      if (sameOrder) {
        const keys = new Set([...b.keys(), ...a.keys()]);
        return [...keys].flatMap((key) => diffPaths(b.get(key), a.get(key), [...path, key]));
      }
    } else if (before.length === after.length) {
      return before.flatMap((v, i) => diffPaths(v, after[i], [...path, i]));
    }
  }
  return [{ path, before, after }];
}
