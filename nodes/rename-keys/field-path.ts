// Dotted field paths (`user.address.city`) over plain JSON objects. Only own properties are read, and writes
// define properties, so no path reaches Object.prototype.
import { isObject, setOwn, type JsonObject } from '../json-value';

const hasOwn = (o: JsonObject, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** The value at `path`, or undefined when a segment is missing or passes through a non-object. */
export function readPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (!isObject(current) || !hasOwn(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}

/** Deletes the field at `path` in place; parents left empty stay as `{}`. */
export function removePath(target: JsonObject, path: readonly string[]): void {
  const parent = readPath(target, path.slice(0, -1));
  if (isObject(parent)) delete parent[path[path.length - 1]];
}

/** Sets the field at `path` in place, creating objects on the way and replacing non-objects there. */
export function writePath(target: JsonObject, path: readonly string[], value: unknown): void {
  let current = target;
  for (const segment of path.slice(0, -1)) {
    if (!isObject(hasOwn(current, segment) ? current[segment] : undefined)) setOwn(current, segment, {});
    current = current[segment] as JsonObject;
  }
  setOwn(current, path[path.length - 1], value);
}

/**
 * A copy of `value` without the fields at `paths` (and the parents that this leaves empty), copying only the
 * objects along those paths.
 */
export function omitPaths(value: unknown, paths: ReadonlyArray<readonly string[]>): unknown {
  let out = value;
  for (const path of paths) out = omitPath(out, path);
  return out;
}

function omitPath(value: unknown, path: readonly string[]): unknown {
  if (!isObject(value) || !hasOwn(value, path[0])) return value;
  const child = path.length === 1 ? undefined : omitPath(value[path[0]], path.slice(1));
  if (child === value[path[0]]) return value;
  const copy: JsonObject = {};
  for (const key of Object.keys(value)) setOwn(copy, key, value[key]);
  if (child === undefined || (isObject(child) && Object.keys(child).length === 0)) delete copy[path[0]];
  else setOwn(copy, path[0], child);
  return copy;
}
