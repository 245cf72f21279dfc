// The first or last `count` items of a list.
export const LIMIT_FROM = ['first', 'last'] as const;
export const MAX_LIMIT = 1_000_000;

export function limitItems(items: readonly unknown[], count: number, from: (typeof LIMIT_FROM)[number]): unknown[] {
  if (count <= 0) return [];
  return from === 'first' ? items.slice(0, count) : items.slice(Math.max(0, items.length - count));
}
