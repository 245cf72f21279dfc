// One walk that answers "is this plain, bounded JSON?" for param schemas and the document parser, and the small
// helpers nodes use to build outputs from JSON without reaching Object.prototype.
// Pure: imported by the editor, the compiler and the workflow bundle.

/** Keys that would reach `Object.prototype` when user data is merged into an object. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets `key` as data, even `__proto__`: defining the property never reaches the prototype. */
export function setOwn(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A deep copy of JSON data, so a node's output never aliases its (recorded) input. */
export function copyJson<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

export interface JsonLimits {
  /** Upper bound of the serialized size, in characters. */
  maxChars: number;
  maxDepth?: number;
  /** Reject `__proto__` / `constructor` / `prototype` keys at any depth. */
  forbidPrototypeKeys?: boolean;
}

export type JsonInspection =
  | { ok: true; chars: number }
  | {
      ok: false;
      reason: 'too-large' | 'too-deep' | 'forbidden-key' | 'not-json';
      message: string;
      path: Array<string | number>;
    };

const DEFAULT_MAX_DEPTH = 64;

/**
 * Measures `value` as JSON (approximately: strings count their length plus quotes) and stops as soon as a
 * limit is crossed, so a hostile 5 MB value costs one pass and no copy.
 */
export function inspectJson(value: unknown, limits: JsonLimits): JsonInspection {
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  let chars = 0;
  const path: Array<string | number> = [];
  const fail = (reason: Exclude<JsonInspection, { ok: true }>['reason'], message: string): JsonInspection => ({
    ok: false,
    reason,
    message,
    path: [...path],
  });

  const walk = (v: unknown, depth: number): JsonInspection | undefined => {
    if (chars > limits.maxChars) return fail('too-large', `is too large (over ${formatSize(limits.maxChars)})`);
    if (v === null || v === undefined) {
      chars += 4;
      return undefined;
    }
    switch (typeof v) {
      case 'string':
        chars += v.length + 2;
        return chars > limits.maxChars
          ? fail('too-large', `is too large (over ${formatSize(limits.maxChars)})`)
          : undefined;
      case 'boolean':
        chars += 5;
        return undefined;
      case 'number':
        if (!Number.isFinite(v)) return fail('not-json', 'holds a non-finite number, which JSON cannot represent');
        chars += 8;
        return undefined;
      case 'object':
        break;
      default:
        return fail('not-json', `holds a ${typeof v}, which is not JSON`);
    }
    if (depth >= maxDepth) return fail('too-deep', `is nested deeper than ${maxDepth} levels`);
    if (Array.isArray(v)) {
      chars += 2;
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        const problem = walk(v[i], depth + 1);
        if (problem) return problem;
        path.pop();
        chars += 1;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return fail('not-json', 'holds an object that is not plain JSON');
    chars += 2;
    for (const key of Object.keys(v)) {
      path.push(key);
      if (limits.forbidPrototypeKeys && FORBIDDEN_KEYS.has(key)) {
        return fail('forbidden-key', `uses the reserved key "${key}"`);
      }
      chars += key.length + 4;
      const problem = walk((v as Record<string, unknown>)[key], depth + 1);
      if (problem) return problem;
      path.pop();
    }
    return undefined;
  };

  return walk(value, 0) ?? { ok: true, chars };
}

/** Human size of a character count: "900 B", "256 KB", "5.0 MB". */
export function formatSize(chars: number): string {
  if (chars < 1024) return `${chars} B`;
  if (chars < 1024 * 1024) return `${Math.round(chars / 1024)} KB`;
  return `${(chars / (1024 * 1024)).toFixed(1)} MB`;
}
