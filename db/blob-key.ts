// The key that signs blob references. Kept in the database, so web and worker processes on any machine
// share it without configuration; created once, race-free, by the first process that needs it.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

interface KeyDoc {
  _id: string;
  key: Buffer;
  createdAt: Date;
}

const KeyModel =
  (mongoose.models.SigningKey as mongoose.Model<KeyDoc>) ??
  mongoose.model<KeyDoc>(
    'SigningKey',
    new Schema<KeyDoc>(
      { _id: String, key: Buffer, createdAt: Date },
      { collection: 'signing_keys', versionKey: false },
    ),
  );

const KEY_ID = 'blob-refs';
let loading: Promise<Buffer> | undefined;

async function loadKey(): Promise<Buffer> {
  const found = await KeyModel.findOne({ _id: KEY_ID }).lean();
  if (found) return Buffer.from(found.key.buffer ?? found.key);
  try {
    await KeyModel.create({ _id: KEY_ID, key: randomBytes(32), createdAt: new Date() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // another process created it first
  }
  const created = await KeyModel.findOne({ _id: KEY_ID }).lean();
  if (!created)
    throw new Error('The blob signing key could not be created in the database; check that it is writable.');
  return Buffer.from(created.key.buffer ?? created.key);
}

/** The process's signing key, read (or created) on first use. */
export function blobSigningKey(): Promise<Buffer> {
  loading ??= loadKey().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

/** Forgets the cached key: a test that drops its database gets a fresh one. */
export function forgetBlobSigningKey(): void {
  loading = undefined;
}

const SIG_CHARS = 22; // 128 bits of base64url

export function signRef(key: Buffer, runId: string, id: string, bytes: number): string {
  return createHmac('sha256', key).update(`${runId}\n${id}\n${bytes}`).digest('base64url').slice(0, SIG_CHARS);
}

export function refSignatureValid(key: Buffer, runId: string, id: string, bytes: number, sig: string): boolean {
  const expected = Buffer.from(signRef(key, runId, id, bytes));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
