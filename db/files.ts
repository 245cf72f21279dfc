// Files as values (docs/decisions/046-file-values.md): bytes in GridFS, beside large values (the `blobs` bucket, so
// retention deletes a run's files with its blobs, by `metadata.runId`), and a signed FileRef in step records.
//
// A reference is signed for its workspace, not its run: a file made by one run is used by its retry, a child run or
// a run of a later version that holds an uploaded template. Anything shaped like a reference without a valid
// signature for the reading workspace stays plain data.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import mongoose from 'mongoose';
import { isFileRef, type FileRef } from '../contracts/file-ref';
import type { RunFiles } from '../nodes/define';
import { NodeError } from '../nodes/errors';
import { formatSize } from '../nodes/json-value';
import { blobSigningKey } from './blob-key';
import { workspaceOfWorkflow } from './workflows';

/** The largest file the store keeps; what reads a file sets its own, smaller, limit. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

export interface FileMeta {
  kind: 'file';
  workspaceId: string;
  name: string;
  mimeType: string;
  bytes: number;
  /** The run and node that made it; absent for uploads, which no run owns. */
  runId?: string;
  nodeId?: string;
  uploadedBy?: string;
}

/** A file a request or a runner may not have: too large, or its reference is not one the store made. */
export class FileError extends Error {
  constructor(
    message: string,
    readonly reason: 'too-large' | 'missing' | 'not-a-file' | 'forged',
  ) {
    super(message);
    this.name = 'FileError';
  }
}

function bucket() {
  const db = mongoose.connection.db;
  if (!db) throw new Error('File store used before connectDb(): connect to Mongo first.');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: 'blobs' });
}

const SIG_CHARS = 22; // 128 bits of base64url

function signature(key: Buffer, workspaceId: string, ref: Omit<FileRef, 'sig'>): string {
  // The tag keeps a file signature from ever being a blob reference's (db/blob-key signs `run\nid\nbytes`).
  return createHmac('sha256', key)
    .update(['file', workspaceId, ref.$batonFile, ref.bytes, ref.mimeType, ref.name].join('\n'))
    .digest('base64url')
    .slice(0, SIG_CHARS);
}

// eslint-disable-next-line no-control-regex
const UNSAFE_NAME = /[\u0000-\u001f\u007f/\\]/g;

/** A file name fit for a header and a file system: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string, fallback = 'file'): string {
  const cleaned = name.replace(UNSAFE_NAME, '_').trim().replace(/^\.+/, '');
  if (cleaned === '') return fallback;
  if (cleaned.length <= 200) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 12 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, 200 - ext.length) + ext;
}

/** `type/subtype` in lower case, parameters dropped; anything else is `application/octet-stream`. */
export function cleanMimeType(type: string | null | undefined): string {
  const bare = (type ?? '').split(';')[0].trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(bare)
    ? bare
    : 'application/octet-stream';
}

/** Stores `data` as a file of `workspaceId` and returns its signed reference. */
export async function saveFile(data: Buffer, meta: NewFile): Promise<FileRef> {
  if (data.length > MAX_FILE_BYTES)
    throw new FileError(
      `The file "${meta.name}" is ${formatSize(data.length)}; files are limited to ${formatSize(MAX_FILE_BYTES)}.`,
      'too-large',
    );
  const stored = storedMeta(meta, data.length);
  const upload = bucket().openUploadStream(stored.name, { metadata: stored });
  await new Promise<void>((resolve, reject) => upload.end(data, (err?: unknown) => (err ? reject(err) : resolve())));
  return signedRef(upload.id.toString(), stored);
}

type NewFile = {
  workspaceId: string;
  name: string;
  mimeType: string;
  runId?: string;
  nodeId?: string;
  uploadedBy?: string;
};

/** What a new file's entry records, its name and type cleaned. */
function storedMeta(meta: NewFile, bytes: number): FileMeta {
  return {
    kind: 'file',
    workspaceId: meta.workspaceId,
    name: cleanFileName(meta.name),
    mimeType: cleanMimeType(meta.mimeType),
    bytes,
    ...(meta.runId ? { runId: meta.runId } : {}),
    ...(meta.nodeId ? { nodeId: meta.nodeId } : {}),
    ...(meta.uploadedBy ? { uploadedBy: meta.uploadedBy } : {}),
  };
}

async function signedRef(id: string, stored: FileMeta): Promise<FileRef> {
  const ref = { $batonFile: id, name: stored.name, mimeType: stored.mimeType, bytes: stored.bytes };
  return { ...ref, sig: signature(await blobSigningKey(), stored.workspaceId, ref) };
}

/**
 * Stores the chunks of `data` as they arrive (a download, never whole in memory) and returns the signed reference.
 * When `data` throws (its reader's own limit, a broken connection) or passes MAX_FILE_BYTES, what was written is
 * deleted and the error passes on.
 */
export async function saveFileStream(data: AsyncIterable<Buffer>, meta: NewFile): Promise<FileRef> {
  const stored = storedMeta(meta, 0); // bytes set once the last chunk is in
  const upload = bucket().openUploadStream(stored.name, { metadata: stored });
  try {
    for await (const chunk of data) {
      stored.bytes += chunk.byteLength;
      if (stored.bytes > MAX_FILE_BYTES)
        throw new FileError(
          `The file "${stored.name}" is over ${formatSize(MAX_FILE_BYTES)}, the limit of files.`,
          'too-large',
        );
      if (!upload.write(chunk)) await once(upload, 'drain');
    }
    await new Promise<void>((resolve, reject) => upload.end((err?: unknown) => (err ? reject(err) : resolve())));
  } catch (err) {
    await upload.abort().catch(() => undefined); // deletes the chunks written so far; the file entry comes at the end
    throw err;
  }
  await mongoose.connection
    .db!.collection('blobs.files')
    .updateOne({ _id: upload.id }, { $set: { 'metadata.bytes': stored.bytes } });
  return signedRef(upload.id.toString(), stored);
}

/** `value` as a reference the store made for `workspaceId`, or undefined (not a reference, forged, or another's). */
export async function verifyFileRef(value: unknown, workspaceId: string): Promise<FileRef | undefined> {
  if (!isFileRef(value)) return undefined;
  const expected = Buffer.from(signature(await blobSigningKey(), workspaceId, value));
  const given = Buffer.from(value.sig);
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : undefined;
}

/** The stored description of file `id` when it belongs to `workspaceId`; another workspace's reads as missing. */
export async function findFile(id: string, workspaceId: string): Promise<(FileMeta & { id: string }) | undefined> {
  if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
  const [file] = await bucket()
    .find({ _id: new mongoose.Types.ObjectId(id) })
    .limit(1)
    .toArray();
  const meta = file?.metadata as Partial<FileMeta> | undefined;
  if (!file || meta?.kind !== 'file' || meta.workspaceId !== workspaceId) return undefined;
  return { ...(meta as FileMeta), bytes: file.length, id };
}

/** The bytes of a file found with `findFile`, as a stream. */
export function openFileStream(id: string): Readable {
  return bucket().openDownloadStream(new mongoose.Types.ObjectId(id));
}

/**
 * The bytes of the file `value` refers to, for `workspaceId`, refused (FileError naming `field`) when it is not a
 * file, not signed for this workspace, larger than `maxBytes` (checked before reading) or no longer stored.
 */
export async function readFileValue(
  value: unknown,
  field: string,
  workspaceId: string,
  maxBytes: number,
): Promise<{ ref: FileRef; data: Buffer }> {
  if (!isFileRef(value)) {
    throw new FileError(
      `${field}: expected a file (such as {{ $node("Offer letter").file }}), got ${describe(value)}`,
      'not-a-file',
    );
  }
  const ref = await verifyFileRef(value, workspaceId);
  if (!ref)
    throw new FileError(
      `${field}: "${value.name}" looks like a file but was not made by this Baton for this workspace (copied from another workspace, or edited); upload it again`,
      'forged',
    );
  if (ref.bytes > maxBytes)
    throw new FileError(
      `${field}: the file "${ref.name}" is ${formatSize(ref.bytes)}; the limit here is ${formatSize(maxBytes)}`,
      'too-large',
    );
  const stored = await findFile(ref.$batonFile, workspaceId);
  if (!stored)
    throw new FileError(
      `${field}: the file "${ref.name}" is no longer stored (its run was deleted by retention); produce or upload it again`,
      'missing',
    );
  const chunks: Buffer[] = [];
  for await (const chunk of openFileStream(ref.$batonFile)) chunks.push(chunk as Buffer);
  return { ref, data: Buffer.concat(chunks) };
}

function describe(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
  return typeof value === 'object' ? 'an object that is not a file' : `a ${typeof value}`;
}

/**
 * A step's access to files (RunContext `files`): files it saves belong to its run (deleted with it) and to the
 * workspace of its workflow, which is also the only workspace whose files it can read.
 */
export function runFiles(use: { runId: string; workflowId: string; nodeId: string }): RunFiles {
  let workspace: Promise<string> | undefined;
  const workspaceId = () =>
    (workspace ??= workspaceOfWorkflow(use.workflowId).then((id) => {
      if (id) return id;
      throw new NodeError(`Files cannot be used: the run's workflow ${use.workflowId} was deleted.`, {
        code: 'file-unavailable',
        retryable: false,
      });
    }));
  // A file of this step; a file over the limit is the step's own error, not one to retry.
  const store = async <D>(
    write: (data: D, meta: NewFile) => Promise<FileRef>,
    file: { name: string; mimeType: string; data: D },
  ) => {
    try {
      const { data, ...named } = file;
      return await write(data, { ...named, workspaceId: await workspaceId(), runId: use.runId, nodeId: use.nodeId });
    } catch (err) {
      if (err instanceof FileError) throw new NodeError(err.message, { code: 'file-too-large', retryable: false });
      throw err;
    }
  };
  return {
    save: (file) => store(saveFile, file),
    saveStream: (file) => store(saveFileStream, file),
    async read(value, field, maxBytes) {
      try {
        return await readFileValue(value, field, await workspaceId(), maxBytes);
      } catch (err) {
        if (err instanceof FileError) throw new NodeError(err.message, { code: 'param-invalid', retryable: false });
        throw err;
      }
    },
  };
}
