// Runs `fn` over `items` with at most `limit` calls in flight, keeping the results in order. For bulk store work:
// FerretDB runs each command on its own PostgreSQL connection from a bounded pool, and dozens of commands sent at
// once by one caller can take the whole pool.
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
