// Writes resolved field values into an object; dotted names (`user.name`) create nested objects.
import { NodeError } from '../errors';
import { copyJson, FORBIDDEN_KEYS, isObject, setOwn, type JsonObject as Json } from '../json-value';

/** Splits `user.name` into segments; explains what is wrong with names that cannot be a path. */
export function fieldPathProblem(name: string): string | undefined {
  const segments = name.split('.');
  if (segments.some((s) => s === '')) return `field name "${name}" has an empty segment; write names like "user.name"`;
  const reserved = segments.find((s) => FORBIDDEN_KEYS.has(s));
  if (reserved) return `field name "${name}" uses the reserved name "${reserved}"`;
  return undefined;
}

/**
 * The node's output: the input object (when `keepInput` and the input is an object) or `{}`, with each field set.
 * Fields apply in order, so `user` then `user.name` refines the object set first.
 */
export function applyFields(input: unknown, fields: Record<string, unknown>, keepInput: boolean): Json {
  const out: Json = keepInput && isObject(input) ? copyJson(input) : {};
  for (const [name, value] of Object.entries(fields)) {
    const problem = fieldPathProblem(name);
    if (problem) throw new NodeError(`Set fields: ${problem}`, { code: 'param-invalid', retryable: false });
    const segments = name.split('.');
    let target = out;
    for (const segment of segments.slice(0, -1)) {
      const next = Object.prototype.hasOwnProperty.call(target, segment) ? target[segment] : undefined;
      if (!isObject(next)) setOwn(target, segment, {});
      target = target[segment] as Json;
    }
    setOwn(target, segments[segments.length - 1], copyJson(value));
  }
  return out;
}

/** A node's result under `field` of its input when the input is an object (a copy), else the result alone. */
export function withResult(input: unknown, field: string, result: unknown): unknown {
  return isObject(input) ? applyFields(input, { [field]: result }, true) : result;
}
