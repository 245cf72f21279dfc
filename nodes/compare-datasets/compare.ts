// Compares two lists by key: which items both have (the same or with different values), and which only one has.
// Pure; work is linear in the sizes of the lists.
import { canonicalJson } from '../../ir/canonical-json';
import { NodeError } from '../errors';
import { parsePath, pathProblem, readPath, splitPathList } from '../items';
import { copyJson, isObject, setOwn } from '../json-value';
import { omitPaths } from '../rename-keys/field-path';

export const MAX_ITEMS = 100_000;

export interface CompareOptions {
  a: unknown;
  b: unknown;
  /** Comma-separated dotted paths; empty: the whole item is its key. */
  keyFields: string;
  /** The key paths in B, in the same order; empty: the same as in A. */
  keyFieldsB?: string;
  /** Comma-separated dotted paths left out when comparing matched items. */
  skipFields?: string;
  /** 1 equals "1" and true equals "true", in keys and compared values. */
  loose: boolean;
}

export interface Difference {
  /** The key field values, from A. */
  key: Record<string, unknown>;
  a: unknown;
  b: unknown;
  /** Dotted paths whose values differ. */
  fields: string[];
}

export interface Comparison {
  inBoth: unknown[];
  onlyInA: unknown[];
  onlyInB: unknown[];
  different: Difference[];
}

const invalid = (message: string) =>
  new NodeError(`Compare datasets: ${message}`, { code: 'param-invalid', retryable: false });

/** "id, company.id" → parsed paths, the text of each kept for naming key values in the output. */
function fieldList(text: string | undefined, label: string): Array<{ name: string; path: string[] }> {
  return splitPathList(text ?? '').map((name) => {
    const problem = pathProblem(name);
    if (problem) throw invalid(`in ${label}, ${problem}`);
    return { name, path: parsePath(name) };
  });
}

/** The items a param holds: a list, one value, or none for null and undefined. */
function itemsOf(value: unknown, label: string): unknown[] {
  const items = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  if (items.length > MAX_ITEMS) {
    throw new NodeError(
      `Compare datasets: ${label} has ${items.length} items; the limit is ${MAX_ITEMS}. Compare smaller batches`,
      { code: 'eval-limit', retryable: false },
    );
  }
  return items;
}

function toNumber(v: string): number | undefined {
  if (v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** `value` with numeric and boolean text turned into numbers and booleans, at any depth. */
function coerce(value: unknown): unknown {
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true' || lower === 'false') return lower === 'true';
    return toNumber(value) ?? value;
  }
  if (Array.isArray(value)) return value.map(coerce);
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setOwn(out, key, coerce(value[key]));
    return out;
  }
  return value;
}

/** Text equal for equal values (keys in any order), loosely equal ones too when `loose`. */
const comparable = (value: unknown, loose: boolean) => canonicalJson(loose ? coerce(value) : value);

/** The dotted paths where `a` and `b` differ; objects are compared field by field, anything else as a whole. */
function differingFields(a: unknown, b: unknown, loose: boolean, prefix = ''): string[] {
  if (!isObject(a) || !isObject(b)) return comparable(a, loose) === comparable(b, loose) ? [] : [prefix];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((key) => {
    const has = (o: Record<string, unknown>) => Object.prototype.hasOwnProperty.call(o, key);
    const path = prefix ? `${prefix}.${key}` : key;
    if (!has(a) || !has(b)) return [path];
    return differingFields(a[key], b[key], loose, path);
  });
}

/** The item's key as comparable text, or undefined when a key field is missing (such items never match). */
function keyOf(item: unknown, fields: ReadonlyArray<{ path: string[] }>, loose: boolean): string | undefined {
  if (fields.length === 0) return comparable(item, loose);
  const values = fields.map((f) => readPath(item, f.path));
  return values.includes(undefined) ? undefined : comparable(values, loose);
}

/**
 * Pairs A's items with B's by key, in order: with duplicate keys, the first A item pairs with the first B item.
 * Output items are copies: the lists often come from other nodes' recorded outputs.
 */
export function compareDatasets(options: CompareOptions): Comparison {
  const keysA = fieldList(options.keyFields, 'Key fields');
  const keysB = options.keyFieldsB?.trim() ? fieldList(options.keyFieldsB, 'Key fields in B') : keysA;
  if (keysB.length !== keysA.length) {
    throw invalid(`Key fields names ${keysA.length} field(s) but Key fields in B names ${keysB.length}; name as many`);
  }
  const skip = fieldList(options.skipFields, 'Fields to skip');
  const a = itemsOf(options.a, 'Dataset A');
  const b = itemsOf(options.b, 'Dataset B');

  // B's item indexes by key, each list consumed from `next` so duplicate keys pair up in order.
  const waitingInB = new Map<string, { indexes: number[]; next: number }>();
  b.forEach((item, i) => {
    const key = keyOf(item, keysB, options.loose);
    if (key === undefined) return;
    const waiting = waitingInB.get(key);
    if (waiting) waiting.indexes.push(i);
    else waitingInB.set(key, { indexes: [i], next: 0 });
  });

  const out: Comparison = { inBoth: [], onlyInA: [], onlyInB: [], different: [] };
  const matchedInB = new Set<number>();
  for (const itemA of a) {
    const key = keyOf(itemA, keysA, options.loose);
    const waiting = key === undefined ? undefined : waitingInB.get(key);
    const j = waiting?.indexes[waiting.next++];
    if (j === undefined) {
      out.onlyInA.push(itemA);
      continue;
    }
    matchedInB.add(j);
    const itemB = b[j];
    // Key fields matched already (by name in each list), so only the other fields are compared.
    const fields = differingFields(
      omitPaths(
        itemA,
        [...skip, ...keysA].map((f) => f.path),
      ),
      omitPaths(
        itemB,
        [...skip, ...keysB].map((f) => f.path),
      ),
      options.loose,
    );
    if (fields.length === 0) out.inBoth.push(itemA);
    else {
      const keyValues: Record<string, unknown> = {};
      keysA.forEach((f) => setOwn(keyValues, f.name, readPath(itemA, f.path)));
      out.different.push({ key: keyValues, a: itemA, b: itemB, fields });
    }
  }
  b.forEach((item, j) => matchedInB.has(j) || out.onlyInB.push(item));
  return copyJson(out);
}
