// The Sort node's order. Each value is classified once: numbers (and numeric text) by value, ISO 8601 dates by
// time, other text by a fixed-locale collation, then booleans, then objects and lists by their JSON. Missing values
// (null, absent, "") come last in either direction. Deterministic: the collation locale does not follow the host.
import { canonicalJson, parsePath, readPath } from '../items';

export const ORDERS = ['asc', 'desc'] as const;

export interface SortKey {
  /** A path inside each item; `''` is the item itself. */
  field: string;
  /** Ascending when absent. */
  order?: (typeof ORDERS)[number];
}

/** Kinds of value in the order they sort ascending. */
enum Kind {
  Number,
  Date,
  Text,
  Boolean,
  Structured,
}

interface Cell {
  kind: Kind;
  n: number;
  s: string;
}

const NUMERIC = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?\s*$/i;
const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Milliseconds of an ISO 8601 date; a date or time without an offset is UTC, whatever the worker's zone. */
export function isoDateMs(text: string): number | undefined {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return undefined;
  const offset = m[3] ? m[3].toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z';
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00'}${offset}`);
  return Number.isFinite(ms) ? ms : undefined;
}

function cellOf(value: unknown): Cell | undefined {
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'number':
      return { kind: Kind.Number, n: value, s: '' };
    case 'boolean':
      return { kind: Kind.Boolean, n: value ? 1 : 0, s: '' };
    case 'string': {
      if (value === '') return undefined;
      if (NUMERIC.test(value)) return { kind: Kind.Number, n: Number(value), s: '' };
      const ms = isoDateMs(value);
      return ms === undefined ? { kind: Kind.Text, n: 0, s: value } : { kind: Kind.Date, n: ms, s: '' };
    }
    default:
      return value === null ? undefined : { kind: Kind.Structured, n: 0, s: canonicalJson(value) };
  }
}

/** The items sorted by `keys` in turn; items that tie on every key keep their order. */
export function sortItems(items: readonly unknown[], keys: readonly SortKey[], ignoreCase: boolean): unknown[] {
  const collator = new Intl.Collator('en', { sensitivity: ignoreCase ? 'accent' : 'variant' });
  const paths = keys.map((k) => ({ segments: parsePath(k.field), sign: k.order === 'desc' ? -1 : 1 }));
  const rows = items.map((item, index) => ({
    item,
    index,
    cells: paths.map((p) => cellOf(readPath(item, p.segments))),
  }));
  const compare = (a: Cell, b: Cell): number => {
    if (a.kind !== b.kind) return a.kind - b.kind;
    if (a.kind === Kind.Text) return collator.compare(a.s, b.s);
    if (a.kind === Kind.Structured) return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
    return a.n - b.n;
  };
  rows.sort((a, b) => {
    for (let k = 0; k < paths.length; k++) {
      const ca = a.cells[k];
      const cb = b.cells[k];
      if (!ca || !cb) {
        if (ca !== cb) return ca ? -1 : 1;
        continue;
      }
      const diff = compare(ca, cb);
      if (diff !== 0) return diff * paths[k].sign;
    }
    return a.index - b.index;
  });
  return rows.map((r) => r.item);
}
