// Keeps decrypted secret values out of what leaves a step or a connection test: servers echo keys back in error
// bodies and headers, and messages and outputs are stored, shown and logged. Each value is replaced by `[secret]`.
import { SECRET_IN_PLAN } from '../define';

/** Secrets shorter than this are not searched for: they would mangle ordinary words. */
export const MIN_SCRUBBED_LENGTH = 4;

export function withoutSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SCRUBBED_LENGTH && out.includes(secret)) out = out.split(secret).join(SECRET_IN_PLAN);
  }
  return out;
}

/** A copy of a JSON-like value with every secret replaced in its strings and keys; `value` itself is untouched. */
export function scrubSecretsDeep<T>(value: T, secrets: ReadonlySet<string>): T {
  if (secrets.size === 0) return value;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return withoutSecrets(v, secrets);
    if (!v || typeof v !== 'object' || depth > 100) return v;
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) out[withoutSecrets(key, secrets)] = walk(item, depth + 1);
    return out;
  };
  return walk(value, 0) as T;
}
