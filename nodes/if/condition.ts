// The If node's comparison, pure and deterministic: it runs inside the workflow.
import { matchesRegex } from './regex';

export const OPERATORS = [
  'equals',
  'notEquals',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'notContains',
  'isEmpty',
  'isNotEmpty',
  'isTrue',
  'isFalse',
  'matchesRegex',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const OPERATOR_LABELS: Record<Operator, string> = {
  equals: 'equals',
  notEquals: 'does not equal',
  gt: 'is greater than',
  gte: 'is greater than or equal to',
  lt: 'is less than',
  lte: 'is less than or equal to',
  contains: 'contains',
  notContains: 'does not contain',
  isEmpty: 'is empty',
  isNotEmpty: 'is not empty',
  isTrue: 'is true',
  isFalse: 'is false',
  matchesRegex: 'matches regex',
};

/** Operators that ignore the right-hand value. */
export const UNARY_OPERATORS: ReadonlySet<Operator> = new Set(['isEmpty', 'isNotEmpty', 'isTrue', 'isFalse']);

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Structural equality of JSON values; a number equals its numeric string ("18" = 18), as typed in a form. */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== undefined && nb !== undefined && (typeof a === 'number' || typeof b === 'number')) return na === nb;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equal((a as any)[k], (b as any)[k]));
}

function compare(left: unknown, right: unknown, op: 'gt' | 'gte' | 'lt' | 'lte'): boolean {
  const l = toNumber(left);
  const r = toNumber(right);
  let diff: number;
  if (l !== undefined && r !== undefined) diff = l - r;
  else if (typeof left === 'string' && typeof right === 'string') diff = left < right ? -1 : left > right ? 1 : 0;
  else return false;
  return op === 'gt' ? diff > 0 : op === 'gte' ? diff >= 0 : op === 'lt' ? diff < 0 : diff <= 0;
}

function contains(haystack: unknown, needle: unknown): boolean {
  if (typeof haystack === 'string')
    return haystack.includes(typeof needle === 'string' ? needle : JSON.stringify(needle));
  if (Array.isArray(haystack)) return haystack.some((item) => equal(item, needle));
  if (haystack && typeof haystack === 'object' && typeof needle === 'string') {
    return Object.prototype.hasOwnProperty.call(haystack, needle);
  }
  return false;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

export function evaluateCondition(left: unknown, operator: Operator, right: unknown): boolean {
  switch (operator) {
    case 'equals':
      return equal(left, right);
    case 'notEquals':
      return !equal(left, right);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return compare(left, right, operator);
    case 'contains':
      return contains(left, right);
    case 'notContains':
      return !contains(left, right);
    case 'isEmpty':
      return isEmpty(left);
    case 'isNotEmpty':
      return !isEmpty(left);
    case 'isTrue':
      return left === true || left === 'true';
    case 'isFalse':
      return left === false || left === 'false';
    case 'matchesRegex':
      return matchesRegex(left, right);
  }
}
