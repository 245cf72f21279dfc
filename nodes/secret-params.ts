// Secret params (`param.secret`: webhook secrets, passwords) never leave the server in clear. Documents sent to
// the browser or an API client carry a placeholder instead, and a save that sends the placeholder back keeps
// the stored value. (Compiled plans hold the same placeholder: see ir/compile.)
import { SECRET_IN_PLAN } from './define';
import { registry } from './index';

export const SECRET_PLACEHOLDER = SECRET_IN_PLAN;

interface DocLike {
  nodes?: Array<{ id?: unknown; type?: unknown; version?: unknown; params?: Record<string, unknown> }>;
}

function secretKeys(node: NonNullable<DocLike['nodes']>[number]): string[] {
  if (typeof node.type !== 'string' || typeof node.version !== 'number') return [];
  const spec = registry.get(node.type, node.version);
  return spec ? Object.keys(spec.params).filter((key) => spec.params[key].ui.widget === 'secret') : [];
}

function nodesOf(document: unknown): NonNullable<DocLike['nodes']> {
  const nodes = (document as DocLike | null)?.nodes;
  return Array.isArray(nodes) ? nodes : [];
}

/** A copy of `document` whose set secret params read `[secret]`. */
export function maskSecrets<D>(document: D): D {
  if (!nodesOf(document).some((n) => secretKeys(n).length > 0)) return document;
  const copy = JSON.parse(JSON.stringify(document)) as D;
  for (const node of nodesOf(copy)) {
    for (const key of secretKeys(node)) {
      const value = node.params?.[key];
      if (node.params && typeof value === 'string' && value !== '') node.params[key] = SECRET_PLACEHOLDER;
    }
  }
  return copy;
}

/**
 * `incoming` with every `[secret]` placeholder replaced by the value stored for the same node; a placeholder
 * with nothing stored behind it (a new or retyped node) is dropped, leaving the secret unset.
 */
export function keepStoredSecrets<D>(incoming: D, stored: unknown): D {
  if (!JSON.stringify(incoming ?? null).includes(JSON.stringify(SECRET_PLACEHOLDER))) return incoming;
  const copy = JSON.parse(JSON.stringify(incoming)) as D;
  const before = new Map(nodesOf(stored).map((n) => [n.id, n]));
  for (const node of nodesOf(copy)) {
    for (const key of secretKeys(node)) {
      if (!node.params || node.params[key] !== SECRET_PLACEHOLDER) continue;
      const old = before.get(node.id);
      const kept = old && old.type === node.type ? old.params?.[key] : undefined;
      if (typeof kept === 'string' && kept !== SECRET_PLACEHOLDER) node.params[key] = kept;
      else delete node.params[key];
    }
  }
  return copy;
}
