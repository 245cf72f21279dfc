// Large values live in GridFS and travel as references: Temporal payloads stop at 2 MB and history at
// 50 MB, and a Mongo document at 16 MB. Everything else is stored inline as JSON text.
import mongoose from 'mongoose';

export const BLOB_THRESHOLD_BYTES = 256 * 1024;

/** How a value over the threshold appears in step records, workflow memory and run output. */
export interface BlobRef {
  $batonBlob: string; // GridFS file id
  bytes: number;
}

export interface EncodedValue {
  json: string; // inline JSON of the value, or of its BlobRef
  bytes: number; // size of the value's own JSON
  ref?: BlobRef;
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

function bucket() {
  const db = mongoose.connection.db;
  if (!db) throw new Error('Blob store used before connectDb(): connect to Mongo first.');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: 'blobs' });
}

/** Serializes `value`, moving it to GridFS when its JSON is over the threshold. */
export async function encodeValue(
  value: unknown,
  meta: { runId: string; nodeId: string; field: string },
): Promise<EncodedValue> {
  const json = JSON.stringify(value ?? null);
  const bytes = Buffer.byteLength(json);
  if (bytes <= BLOB_THRESHOLD_BYTES) return { json, bytes };
  const upload = bucket().openUploadStream(`${meta.runId}/${meta.nodeId}/${meta.field}`, {
    metadata: { ...meta, bytes },
  });
  await new Promise<void>((resolve, reject) =>
    upload.end(Buffer.from(json), (err?: unknown) => (err ? reject(err) : resolve())),
  );
  const ref: BlobRef = { $batonBlob: upload.id.toString(), bytes };
  return { json: JSON.stringify(ref), bytes, ref };
}

export async function readBlob(ref: BlobRef): Promise<unknown> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of bucket().openDownloadStream(new mongoose.Types.ObjectId(ref.$batonBlob)))
      chunks.push(chunk as Buffer);
  } catch (err) {
    throw new Error(
      `Stored value ${ref.$batonBlob} (${ref.bytes} bytes) cannot be read from the blob store: ${(err as Error).message}`,
    );
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** Replaces every BlobRef inside `value` (e.g. in a Merge of a large output) with the stored value. */
export async function resolveBlobRefs(value: unknown): Promise<unknown> {
  if (isBlobRef(value)) return readBlob(value);
  if (Array.isArray(value)) return Promise.all(value.map(resolveBlobRefs));
  if (typeof value === 'object' && value !== null) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([k, v]) => [k, await resolveBlobRefs(v)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

/** Retention: removes the blobs written for a run. */
export async function deleteRunBlobs(runId: string): Promise<number> {
  const b = bucket();
  const files = await b.find({ 'metadata.runId': runId }).toArray();
  await Promise.all(files.map((f) => b.delete(f._id)));
  return files.length;
}
