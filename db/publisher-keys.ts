// Publisher signing keys (docs/decisions/061): ed25519 key pairs a workspace owns to sign its marketplace listing
// versions. The private key is sealed with the vault like a credential's secrets (db/vault-crypto.ts), bound to
// the key id and workspace. One key is active; rotating retires it (it still verifies what it signed), revoking
// one makes everything it signed refused. Key ids are short fingerprints of the public key.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { MarketplaceError, type PublisherKeyStatus, type PublisherKeyView } from '../contracts/marketplace';
import { openSecrets, sealSecrets, type SealBinding, type SealedSecrets } from './vault-crypto';
import { loadVaultKey } from './vault-key';

interface PublisherKeyDoc {
  _id: string; // the key id
  workspaceId: string;
  /** The key id again: vault rotation (db/vault-rotation.ts) names what it could not re-wrap by `name`. */
  name: string;
  publicKeyPem: string;
  sealed: SealedSecrets;
  status: PublisherKeyStatus;
  createdAt: Date;
  /** Changed by every write: vault rotation re-wraps only a document it read unchanged. */
  updatedAt: Date;
  retiredAt?: Date;
  revokedAt?: Date;
}

// Looked up first because dev mode loads this module twice (tsx for server.ts, Vite SSR for routes).
export const PublisherKeyModel =
  (mongoose.models.PublisherKey as mongoose.Model<PublisherKeyDoc>) ??
  mongoose.model<PublisherKeyDoc>(
    'PublisherKey',
    new Schema<PublisherKeyDoc>(
      {
        _id: String,
        workspaceId: { type: String, required: true, index: true },
        name: { type: String, required: true },
        publicKeyPem: { type: String, required: true },
        sealed: { type: Schema.Types.Mixed, required: true },
        status: { type: String, required: true },
        createdAt: { type: Date, required: true },
        updatedAt: { type: Date, required: true },
        retiredAt: Date,
        revokedAt: Date,
      },
      { collection: 'publisher_keys', versionKey: false },
    ),
  );

/** `ed25519-` and 16 hex digits of the sha256 of the public key (SPKI DER): short, and names the key it is. */
export function fingerprintOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return `ed25519-${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
}

export const publisherKeySealBindingOf = (doc: Pick<PublisherKeyDoc, '_id' | 'workspaceId'>): SealBinding => ({
  workspaceId: doc.workspaceId,
  credentialId: doc._id,
  type: 'publisher-key',
});

function toView(doc: PublisherKeyDoc): PublisherKeyView {
  return {
    keyId: doc._id,
    workspaceId: doc.workspaceId,
    publicKeyPem: doc.publicKeyPem,
    status: doc.status,
    createdAt: doc.createdAt.toISOString(),
    ...(doc.retiredAt ? { retiredAt: doc.retiredAt.toISOString() } : {}),
    ...(doc.revokedAt ? { revokedAt: doc.revokedAt.toISOString() } : {}),
  };
}

async function createKey(workspaceId: string): Promise<PublisherKeyDoc> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const _id = fingerprintOf(publicKey);
  const now = new Date();
  const doc: PublisherKeyDoc = {
    _id,
    workspaceId,
    name: _id,
    publicKeyPem: publicKey,
    sealed: sealSecrets({ privateKeyPem: privateKey }, publisherKeySealBindingOf({ _id, workspaceId }), loadVaultKey()),
    status: 'active',
    createdAt: now,
    updatedAt: now,
  };
  await PublisherKeyModel.create(doc);
  return doc;
}

async function activeDoc(workspaceId: string): Promise<PublisherKeyDoc | undefined> {
  const docs = await PublisherKeyModel.find({ workspaceId, status: 'active' }).sort({ createdAt: -1 }).lean();
  return (docs[0] as PublisherKeyDoc | undefined) ?? undefined;
}

/** The workspace's active key, made on first use. */
export async function activeKey(workspaceId: string): Promise<PublisherKeyView> {
  return toView((await activeDoc(workspaceId)) ?? (await createKey(workspaceId)));
}

export async function listKeys(workspaceId: string): Promise<PublisherKeyView[]> {
  const docs = await PublisherKeyModel.find({ workspaceId }).sort({ createdAt: -1 }).lean();
  return (docs as PublisherKeyDoc[]).map(toView);
}

/** A key by id, whichever workspace owns it: installs verify other workspaces' signatures. */
export async function getKey(keyId: string): Promise<PublisherKeyView | undefined> {
  const doc = (await PublisherKeyModel.findById(keyId).lean()) as PublisherKeyDoc | null;
  return doc ? toView(doc) : undefined;
}

/** A new active key; the previous active one is retired (still verifies what it signed, signs nothing new). */
export async function rotateKey(workspaceId: string): Promise<PublisherKeyView> {
  const next = await createKey(workspaceId);
  await PublisherKeyModel.updateMany(
    { workspaceId, status: 'active', _id: { $ne: next._id } },
    { $set: { status: 'retired', retiredAt: new Date(), updatedAt: new Date() } },
  );
  return toView(next);
}

/** Revokes a key of the workspace: what it signed is refused from now on. A revoked active key is replaced on next use. */
export async function revokeKey(workspaceId: string, keyId: string): Promise<PublisherKeyView> {
  const doc = (await PublisherKeyModel.findOneAndUpdate(
    { _id: keyId, workspaceId },
    { $set: { status: 'revoked', revokedAt: new Date(), updatedAt: new Date() } },
    { new: true },
  ).lean()) as PublisherKeyDoc | null;
  if (!doc) throw new MarketplaceError('not-found', `Signing key ${keyId} does not exist in this workspace.`);
  return toView(doc);
}

/** Signs `bytes` with the workspace's active key (made on first use). */
export async function signPayload(workspaceId: string, bytes: Buffer): Promise<{ keyId: string; signature: string }> {
  const doc = (await activeDoc(workspaceId)) ?? (await createKey(workspaceId));
  const { privateKeyPem } = openSecrets(doc.sealed, publisherKeySealBindingOf(doc), loadVaultKey());
  const signature = sign(null, bytes, createPrivateKey(privateKeyPem)).toString('base64');
  return { keyId: doc._id, signature };
}

/**
 * Signs `bytes` with one given key of the workspace that is not revoked: a bundle's export envelope is signed by the
 * key that signed its version, retired or not (docs/decisions/070).
 */
export async function signWithKey(workspaceId: string, keyId: string, bytes: Buffer): Promise<string> {
  const doc = (await PublisherKeyModel.findOne({ _id: keyId, workspaceId }).lean()) as PublisherKeyDoc | null;
  if (!doc || doc.status === 'revoked')
    throw new MarketplaceError('conflict', `Signing key ${keyId} is ${doc ? 'revoked' : 'not in this workspace'}.`);
  const { privateKeyPem } = openSecrets(doc.sealed, publisherKeySealBindingOf(doc), loadVaultKey());
  return sign(null, bytes, createPrivateKey(privateKeyPem)).toString('base64');
}

/** Whether `signature` (base64) is `publicKeyPem`'s over `bytes`. A malformed key or signature is simply false. */
export function verifyPayload(publicKeyPem: string, bytes: Buffer, signature: string): boolean {
  try {
    return verify(null, bytes, publicKeyPem, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
