// The shape of a large value's stand-in. Pure, so both the interpreter (which only holds references and
// must notice them) and the blob store (activities/blob-store, which writes and reads them) share it.

/** How a value over the blob threshold appears in step records, workflow memory and run output. */
export interface BlobRef {
  $batonBlob: string; // GridFS file id
  /** Size of the value's JSON with every reference inside it resolved. */
  bytes: number;
}

export function isBlobRef(value: unknown): value is BlobRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BlobRef).$batonBlob === 'string' &&
    typeof (value as BlobRef).bytes === 'number' &&
    Object.keys(value).length === 2
  );
}

/** True when `value` is, or holds somewhere inside it, a blob reference. */
export function containsBlobRef(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (isBlobRef(value)) return true;
  return (Array.isArray(value) ? value : Object.values(value)).some(containsBlobRef);
}
