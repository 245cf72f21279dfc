// Renames fields of an object, or of each object in a list: an explicit map of dotted paths, then an optional
// pattern over top-level keys. Pure.
import { NodeError } from '../errors';
import { fieldPathProblem } from '../set-fields/apply';
import { copyJson, isObject, setOwn, type JsonObject } from '../json-value';
import { readPath, removePath, writePath } from './field-path';
import { compileKeyRename } from './key-pattern';

export interface RenameOptions {
  /** Old dotted path → new dotted path. */
  renames: Record<string, string>;
  /** Off: the output holds only renamed fields. */
  keepUnlisted: boolean;
  pattern?: string;
  replacement?: string;
}

interface Plan {
  moves: Array<{ from: string[]; to: string[] }>;
  renameKey?: (key: string) => string | undefined;
  keepUnlisted: boolean;
}

const kindOf = (v: unknown) => (v == null ? 'empty' : Array.isArray(v) ? 'a list' : `a ${typeof v}`);

function checkedPath(name: string, role: string): string[] {
  const problem = fieldPathProblem(name);
  if (problem) throw new NodeError(`Rename keys: ${role} ${problem}`, { code: 'param-invalid', retryable: false });
  return name.split('.');
}

function plan(options: RenameOptions): Plan {
  const moves = Object.entries(options.renames ?? {}).map(([from, to]) => ({
    from: checkedPath(from, 'in Renames, the'),
    to: checkedPath(to, `in Renames, the new name of "${from}":`),
  }));
  const renameKey = options.pattern ? compileKeyRename(options.pattern, options.replacement ?? '') : undefined;
  return { moves, renameKey, keepUnlisted: options.keepUnlisted };
}

/**
 * The renamed copy of one object. Map renames happen at once (each value is read before any is moved), so
 * `a → b` with `b → a` swaps them; a new name that exists already is overwritten, and the later rename wins.
 */
function renameObject(item: JsonObject, p: Plan): JsonObject {
  let out = copyJson(item);
  const values = p.moves.map((m) => readPath(item, m.from));
  p.moves.forEach((m, i) => {
    if (values[i] !== undefined) removePath(out, m.from);
  });
  let listed: string[][] = [];
  p.moves.forEach((m, i) => {
    if (values[i] === undefined) return;
    writePath(out, m.to, copyJson(values[i]));
    listed.push(m.to);
  });
  if (p.renameKey) {
    const renamed: JsonObject = {};
    const newNames = new Map<string, string>();
    for (const key of Object.keys(out)) {
      const next = p.renameKey(key);
      if (next !== undefined) newNames.set(key, next);
      // Key order decides collisions: a later key that takes the same name overwrites an earlier one.
      setOwn(renamed, next ?? key, out[key]);
    }
    listed = listed.map((path) => [newNames.get(path[0]) ?? path[0], ...path.slice(1)]);
    for (const next of newNames.values()) listed.push([next]);
    out = renamed;
  }
  if (p.keepUnlisted) return out;
  const picked: JsonObject = {};
  for (const path of listed) {
    const value = readPath(out, path);
    if (value !== undefined) writePath(picked, path, value);
  }
  return picked;
}

/** Renames the fields of `input` (an object) or of each item of `input` (a list of objects). */
export function renameKeys(input: unknown, options: RenameOptions): JsonObject | JsonObject[] {
  const p = plan(options);
  if (isObject(input)) return renameObject(input, p);
  if (!Array.isArray(input)) {
    throw new NodeError(`Rename keys: the input is ${kindOf(input)}; it needs an object or a list of objects`, {
      code: 'input-invalid',
      retryable: false,
    });
  }
  return input.map((item, i) => {
    if (!isObject(item)) {
      throw new NodeError(
        `Rename keys: item ${i} of the input list is ${kindOf(item)}; every item needs to be an object`,
        { code: 'input-invalid', retryable: false },
      );
    }
    return renameObject(item, p);
  });
}
