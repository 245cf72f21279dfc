// What list nodes (Filter, Sort, Limit…) work on. Baton passes one JSON value between nodes, so "the items" are the
// array at the node's `field` param, a dotted path into the input. Field paths also address values inside each
// item. Pure: node specs import this module, and specs reach the workflow bundle.
import { z } from 'zod';
import { param, type ParamDef, type ShowWhen } from './define';
import { NodeError } from './errors';
import { FORBIDDEN_KEYS, isObject, setOwn, type JsonObject as Json } from './json-value';

export const MAX_PATH_LENGTH = 1024;
/** Field paths one comma-separated list param may name. */
export const MAX_LISTED_PATHS = 50;

/** `lines[0].sku` → `['lines', '0', 'sku']`; `''` → `[]`, the value itself. Check `pathProblem` first. */
export function parsePath(path: string): string[] {
  const text = path
    .trim()
    .replace(/^\[(\d+)\]/, '$1')
    .replace(/\[(\d+)\]/g, '.$1');
  return text === '' ? [] : text.split('.');
}

/** Why `path` cannot address a field, or undefined when it can. */
export function pathProblem(path: string): string | undefined {
  if (path.length > MAX_PATH_LENGTH)
    return `is ${path.length} characters long; field paths are limited to ${MAX_PATH_LENGTH}`;
  if (path.includes('{{'))
    return `"${path}" is a field path such as "user.email", not an expression: write it without {{ }}`;
  const segments = parsePath(path);
  if (segments[0] === '$input' || segments[0] === '$json')
    return `"${path}" starts with ${segments[0]}, but paths are read from the input (or each item) itself: drop "${segments[0]}."`;
  if (segments.some((s) => s === '')) return `"${path}" has an empty segment; write paths like "user.email"`;
  return undefined;
}

/** Like `pathProblem`, for paths the node writes into its output (callers decide whether `''` may be left blank). */
export function writablePathProblem(path: string): string | undefined {
  const problem = pathProblem(path);
  if (problem) return problem;
  const reserved = parsePath(path).find((s) => FORBIDDEN_KEYS.has(s));
  return reserved ? `"${path}" uses the reserved name "${reserved}"` : undefined;
}

const isIndex = (s: string) => /^(0|[1-9]\d{0,8})$/.test(s);

/** The value at `segments` (from `parsePath`); undefined when any step is missing. Own properties only. */
export function readPath(value: unknown, segments: readonly string[]): unknown {
  let at = value;
  for (const segment of segments) {
    if (Array.isArray(at)) {
      if (!isIndex(segment)) return undefined;
      at = at[Number(segment)];
    } else if (isObject(at) && Object.prototype.hasOwnProperty.call(at, segment)) {
      at = at[segment];
    } else return undefined;
  }
  return at;
}

/** `Object.assign` that keeps a `__proto__` key in `source` as data instead of setting the prototype. */
export function assignOwn(target: Json, source: Json): Json {
  for (const [key, value] of Object.entries(source)) setOwn(target, key, value);
  return target;
}

/** Sets `segments` in `target` (a new object the node owns), creating or replacing objects on the way. */
export function writePath(target: Json, segments: readonly string[], value: unknown): void {
  let at = target;
  for (const segment of segments.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(at, segment) ? at[segment] : undefined;
    // Copied on the way down: `next` may be shared with the node's input, which must stay as recorded.
    const own = isObject(next) ? { ...next } : {};
    setOwn(at, segment, own);
    at = own;
  }
  setOwn(at, segments[segments.length - 1], value);
}

/**
 * The node's items: the array at `field`; a single non-null value there is one item, null or nothing is none.
 * The array is the input's own: callers must not mutate it or its items.
 */
export function readItems(input: unknown, field: string): readonly unknown[] {
  const value = readPath(input, parsePath(field));
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

/** `"id, user.email"` → `['id', 'user.email']`, blanks dropped. */
export function splitPathList(text: string): string[] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** A non-retryable failure of a list node's data, its message prefixed with the node's title. */
export function itemsError(node: string, message: string, code: string): NodeError {
  return new NodeError(`${node}: ${message}`, { code, retryable: false });
}

const refined = (check: (path: string) => string | undefined) => (s: string, ctx: z.RefinementCtx) => {
  const problem = check(s);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
};

/** A field path inside JSON params (conditions, sort keys), validated like the path params. */
export const fieldPathSchema: z.ZodType<string> = z
  .string({
    required_error: 'is missing: give a field path such as "user.email" ("" for the item itself)',
    invalid_type_error: 'must be a field path in quotes, such as "user.email"',
  })
  .superRefine(refined(pathProblem));

type PathOptions = {
  label: string;
  description: string;
  placeholder: string;
  default?: string;
  required?: boolean;
  showWhen?: ShowWhen;
};

/** A text param holding one field path. Paths are not expressions: they name where to look in each item. */
export function pathParam({ writable, ...o }: PathOptions & { writable?: boolean }): ParamDef<string> {
  const base = param.text({ ...o, default: o.default ?? '', expression: false, maxLength: MAX_PATH_LENGTH });
  return { ...base, schema: base.schema.superRefine(refined(writable ? writablePathProblem : pathProblem)) };
}

/** The `field` param every list node has. */
export const itemsParam = (): ParamDef<string> =>
  pathParam({
    label: 'List',
    description:
      'Where the items are: a dotted path into the input, such as "body.items". Empty: the input itself. ' +
      'A single value counts as one item, null or a missing field as none.',
    placeholder: 'body.items',
  });

/** A text param holding comma-separated field paths. */
export function pathListParam({ writable, ...o }: PathOptions & { writable?: boolean }): ParamDef<string> {
  const base = param.text({ ...o, default: o.default ?? '', expression: false, maxLength: 8 * 1024 });
  return {
    ...base,
    schema: base.schema.superRefine((text, ctx) => {
      const paths = splitPathList(text);
      if (paths.length > MAX_LISTED_PATHS)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `names ${paths.length} fields; the limit is ${MAX_LISTED_PATHS}`,
        });
      for (const path of paths) refined(writable ? writablePathProblem : pathProblem)(path, ctx);
    }),
  };
}

/**
 * JSON with the keys of every object sorted, so equal data gives equal text whatever its key order. A missing
 * value (`undefined`) is written as `undefined`, which no JSON value is.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Json;
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}
