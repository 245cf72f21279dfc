// Large values live in GridFS and travel as references: Temporal payloads stop at 2 MB and history at
// 50 MB, and a Mongo document at 16 MB. Everything else is stored inline as JSON text.
//
// A reference is signed for its run (db/blob-key): only references the server created for the run being
// read resolve. Anything else shaped like one, such as a webhook body, is plain user data.
import mongoose from 'mongoose';
import { containsBlobRef, isBlobRef, type BlobRef } from '../contracts/blob-ref';
import { blobSigningKey, refSignatureValid, signRef } from './blob-key';

export const BLOB_THRESHOLD_BYTES = 256 * 1024;

export interface EncodedValue {
  json: string; // inline JSON of the value, or of its BlobRef
  bytes: number; // size of the value's own JSON, references inside it resolved
  ref?: BlobRef;
}

/**
 * A reference as it appears in stored JSON text (`JSON.stringify` of a BlobRef). Inside a JSON string a
 * quote is always escaped, so this text can only be structure, never part of a user's string.
 */
export const BLOB_REF_TEXT = /\{"\$batonBlob":"([0-9a-f]{24})","bytes":(\d{1,16}),"sig":"([A-Za-z0-9_-]{22})"\}/g;

/** Tells the references the server signed for `runId` from look-alikes. */
export type RefCheck = (id: string, bytes: number, sig: string) => boolean;

export async function refCheckFor(runId: string): Promise<RefCheck> {
  const key = await blobSigningKey();
  return (id, bytes, sig) => refSignatureValid(key, runId, id, bytes, sig);
}

/** Whether `value` is a reference the server created for `runId` (not user data shaped like one). */
export function isTrustedRef(value: unknown, check: RefCheck): value is BlobRef {
  return isBlobRef(value) && typeof value.sig === 'string' && check(value.$batonBlob, value.bytes, value.sig);
}

/** Size of the JSON `json` stands for once every reference of `runId` in it is replaced by its stored text. */
export async function resolvedJsonBytes(json: string, runId: string): Promise<number> {
  let bytes = Buffer.byteLength(json);
  if (!json.includes('"$batonBlob"')) return bytes;
  const check = await refCheckFor(runId);
  for (const match of json.matchAll(BLOB_REF_TEXT)) {
    if (check(match[1], Number(match[2]), match[3])) bytes += Number(match[2]) - match[0].length;
  }
  return bytes;
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
  const bytes = await resolvedJsonBytes(json, meta.runId);
  if (Buffer.byteLength(json) <= BLOB_THRESHOLD_BYTES) return { json, bytes };
  const upload = bucket().openUploadStream(`${meta.runId}/${meta.nodeId}/${meta.field}`, {
    metadata: { ...meta, bytes },
  });
  await new Promise<void>((resolve, reject) =>
    upload.end(Buffer.from(json), (err?: unknown) => (err ? reject(err) : resolve())),
  );
  const id = upload.id.toString();
  const ref: BlobRef = { $batonBlob: id, bytes, sig: signRef(await blobSigningKey(), meta.runId, id, bytes) };
  return { json: JSON.stringify(ref), bytes, ref };
}

/** The stored JSON text of one blob, chunk by chunk (references inside it are left as they are). */
export async function* openBlobStream(ref: BlobRef): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of bucket().openDownloadStream(new mongoose.Types.ObjectId(ref.$batonBlob)))
      yield chunk as Buffer;
  } catch (err) {
    throw new Error(
      `Stored value ${ref.$batonBlob} (${ref.bytes} bytes) cannot be read from the blob store: ${(err as Error).message}`,
    );
  }
}

export async function readBlob(ref: BlobRef): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of openBlobStream(ref)) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Replaces every reference of `runId` inside `value` (e.g. in a Merge of a large output) with the stored
 * value, including references inside stored values. `seen` collects each stored object with its
 * reference, for `restoreBlobRefs`.
 */
export async function resolveBlobRefs(value: unknown, runId: string, seen?: Map<object, BlobRef>): Promise<unknown> {
  return resolveTrusted(value, await refCheckFor(runId), seen);
}

async function resolveTrusted(value: unknown, check: RefCheck, seen?: Map<object, BlobRef>): Promise<unknown> {
  // Parts without a reference stay as they are: a promise per element of a 100,000-item list cost the worker
  // hundreds of MB at once.
  if (!containsBlobRef(value)) return value;
  if (isTrustedRef(value, check)) {
    const stored = await resolveTrusted(await readBlob(value), check, seen);
    if (typeof stored === 'object' && stored !== null) seen?.set(stored, value);
    return stored;
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolveTrusted(v, check, seen)));
  if (typeof value === 'object' && value !== null) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([k, v]) => [k, await resolveTrusted(v, check, seen)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

/**
 * The inverse for values built from resolved ones: a stored object that reappears unchanged (the same
 * object, as Merge "append" passes its inputs on) becomes its reference again instead of a copy.
 */
export function restoreBlobRefs(value: unknown, seen: Map<object, BlobRef>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const ref = seen.get(value);
  if (ref) return ref;
  if (Array.isArray(value)) return value.map((v) => restoreBlobRefs(v, seen));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restoreBlobRefs(v, seen)]));
}

/** Retention: removes the blobs written for a run. */
export async function deleteRunBlobs(runId: string): Promise<number> {
  const b = bucket();
  const files = await b.find({ 'metadata.runId': runId }).toArray();
  await Promise.all(files.map((f) => b.delete(f._id)));
  return files.length;
}

/**
 * Retention: removes every blob written for these runs, chunks first so that a pass cut short leaves
 * file documents the next pass finds again, never chunks nothing points to. One query per collection
 * for the whole batch, since each scans on FerretDB.
 */
export async function deleteBlobsOfRuns(runIds: string[]): Promise<number> {
  if (runIds.length === 0) return 0;
  const db = mongoose.connection.db;
  if (!db) throw new Error('Blob store used before connectDb(): connect to Mongo first.');
  const files = db.collection('blobs.files');
  const ids = (await files.find({ 'metadata.runId': { $in: runIds } }, { projection: { _id: 1 } }).toArray()).map(
    (f) => f._id,
  );
  if (ids.length === 0) return 0;
  await db.collection('blobs.chunks').deleteMany({ files_id: { $in: ids } });
  await files.deleteMany({ _id: { $in: ids } });
  return ids.length;
}
