// Duplicate-key errors (E11000) from the Mongo-protocol server, and the one safe reaction to them in an upsert.

/** True for a unique-index violation (E11000), from an insert or from an upsert's insert. */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: unknown } | undefined)?.code === 11000;
}

/**
 * Runs an upsert whose filter is the document's `_id`, once more when it loses a race: two concurrent upserts
 * of one new `_id` both try the insert, and the loser gets E11000 (MongoDB retries this itself since 4.2;
 * FerretDB does not). The second attempt finds the winner's document and updates it.
 */
export async function upsertById<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return write();
  }
}
