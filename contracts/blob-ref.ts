// The shape of a large value's stand-in. Pure, so both the interpreter (which only holds references and
// must notice them) and the blob store (db/blobs, which writes, signs and resolves them) share it.

/** How a value over the blob threshold appears in step records, workflow memory and run output. */
export interface BlobRef {
  $batonBlob: string; // GridFS file id
  /** Size of the value's JSON with every reference inside it resolved. */
  bytes: number;
  /**
   * The store's signature over (run, id, bytes): only a reference the server created for this run
   * resolves, so user data shaped like a reference stays plain data (db/blobs `verifyBlobRef`).
   */
  sig: string;
}

/**
 * Whether `value` has a reference's shape. The interpreter uses this only to send control nodes to an
 * activity, where the signature is checked; the unsigned two-key shape of runs recorded before
 * signatures existed must keep being recognised so that their histories replay the same way.
 */
export function isBlobRef(value: unknown): value is BlobRef {
  if (typeof value !== 'object' || value === null) return false;
  const ref = value as Partial<BlobRef>;
  if (typeof ref.$batonBlob !== 'string' || typeof ref.bytes !== 'number') return false;
  const keys = Object.keys(value).length;
  return keys === 2 || (keys === 3 && typeof ref.sig === 'string');
}

/** True when `value` is, or holds somewhere inside it, a blob reference. */
export function containsBlobRef(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (isBlobRef(value)) return true;
  return (Array.isArray(value) ? value : Object.values(value)).some(containsBlobRef);
}
