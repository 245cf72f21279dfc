// Blobs a retry takes over from the run it retries (docs/decisions/041-retries.md): the new run's steps hold the
// same GridFS files, with references signed again for the new run (decision 024), never a copy of the data.
// The file stays owned by the run that wrote it (`metadata.runId`, which retention deletes by) and lists the runs
// sharing it in `metadata.sharedWith`; when retention deletes the owner, ownership passes to a sharer instead.
import mongoose from 'mongoose';
import { BLOB_REF_TEXT, refCheckFor } from './blobs';
import { blobSigningKey, signRef } from './blob-key';

/**
 * Stored JSON text of run `fromRunId` as run `toRunId` may hold it: each reference signed for `fromRunId` is
 * signed again for `toRunId`. Returns the blob ids it names, to share with `shareBlobs`.
 */
export async function resignBlobRefs(
  json: string,
  fromRunId: string,
  toRunId: string,
): Promise<{ json: string; blobIds: string[] }> {
  if (!json.includes('"$batonBlob"')) return { json, blobIds: [] };
  const [check, key] = await Promise.all([refCheckFor(fromRunId), blobSigningKey()]);
  const blobIds: string[] = [];
  const resigned = json.replace(BLOB_REF_TEXT, (text, id: string, bytes: string, sig: string) => {
    if (!check(id, Number(bytes), sig)) return text;
    blobIds.push(id);
    return JSON.stringify({ $batonBlob: id, bytes: Number(bytes), sig: signRef(key, toRunId, id, Number(bytes)) });
  });
  return { json: resigned, blobIds };
}

function files() {
  const db = mongoose.connection.db;
  if (!db) throw new Error('Blob store used before connectDb(): connect to Mongo first.');
  return db.collection<{ _id: mongoose.Types.ObjectId; metadata?: { runId?: string; sharedWith?: string[] } }>(
    'blobs.files',
  );
}

/** Records that run `runId` holds references to these blobs, so deleting their owner keeps them. */
export async function shareBlobs(blobIds: string[], runId: string): Promise<void> {
  const unique = [...new Set(blobIds)];
  if (unique.length === 0) return;
  await files().bulkWrite(
    unique.map((id) => ({
      updateOne: {
        filter: { _id: new mongoose.Types.ObjectId(id) },
        update: { $addToSet: { 'metadata.sharedWith': runId } },
      },
    })),
    { ordered: false },
  );
}

/**
 * Retention, before deleting the blobs of `runIds`: a blob another run still shares passes to that run (the first
 * sharer not being deleted too) instead of being deleted with its owner. Returns how many were handed over.
 */
export async function handOverSharedBlobs(runIds: string[]): Promise<number> {
  if (runIds.length === 0) return 0;
  const deleted = new Set(runIds);
  const shared = await files()
    .find(
      { 'metadata.runId': { $in: runIds }, 'metadata.sharedWith': { $exists: true } },
      { projection: { metadata: 1 } },
    )
    .toArray();
  let handed = 0;
  for (const file of shared) {
    const heirs = (file.metadata?.sharedWith ?? []).filter((id) => !deleted.has(id));
    if (heirs.length === 0) continue;
    await files().updateOne(
      { _id: file._id },
      { $set: { 'metadata.runId': heirs[0], 'metadata.sharedWith': heirs.slice(1) } },
    );
    handed++;
  }
  return handed;
}
