// Public keys that came in bundle files (docs/decisions/070): a workspace that imports a signed bundle keeps the
// signer's public key so the imported versions verify on every read. A record belongs to the importing workspace
// and verifies only that workspace's imported listings; it holds no private half and never signs. Revoking one here
// refuses what it signed in this workspace, and any later bundle it signed.
import mongoose, { Schema } from 'mongoose';
import { MarketplaceError } from '../contracts/marketplace';
import type { ImportedKeyView } from '../contracts/marketplace-bundle';
import { isDuplicateKey } from './duplicate-key';

export type ImportedKeyStatus = ImportedKeyView['status'];

interface ImportedKeyDoc {
  _id: string; // `<workspace id>/<key id>`
  workspaceId: string;
  keyId: string;
  publicKeyPem: string;
  /** The signer's name in the first bundle that brought the key. */
  signerName: string;
  status: ImportedKeyStatus;
  importedAt: Date;
  revokedAt?: Date;
}

// Looked up first because dev mode loads this module twice (tsx for server.ts, Vite SSR for routes).
const ImportedKeyModel =
  (mongoose.models.ImportedPublisherKey as mongoose.Model<ImportedKeyDoc>) ??
  mongoose.model<ImportedKeyDoc>(
    'ImportedPublisherKey',
    new Schema<ImportedKeyDoc>(
      {
        _id: String,
        workspaceId: { type: String, required: true, index: true },
        keyId: { type: String, required: true },
        publicKeyPem: { type: String, required: true },
        signerName: { type: String, default: '' },
        status: { type: String, required: true },
        importedAt: { type: Date, required: true },
        revokedAt: Date,
      },
      { collection: 'imported_publisher_keys', versionKey: false },
    ),
  );

const idOf = (workspaceId: string, keyId: string) => `${workspaceId}/${keyId}`;

function toView(doc: ImportedKeyDoc): ImportedKeyView {
  return {
    keyId: doc.keyId,
    workspaceId: doc.workspaceId,
    publicKeyPem: doc.publicKeyPem,
    signerName: doc.signerName,
    status: doc.status,
    importedAt: doc.importedAt.toISOString(),
    ...(doc.revokedAt ? { revokedAt: doc.revokedAt.toISOString() } : {}),
  };
}

export async function importedKey(workspaceId: string, keyId: string): Promise<ImportedKeyView | undefined> {
  const doc = (await ImportedKeyModel.findById(idOf(workspaceId, keyId)).lean()) as ImportedKeyDoc | null;
  return doc ? toView(doc) : undefined;
}

export async function listImportedKeys(workspaceId: string): Promise<ImportedKeyView[]> {
  const docs = (await ImportedKeyModel.find({ workspaceId }).sort({ importedAt: -1 }).lean()) as ImportedKeyDoc[];
  return docs.map(toView);
}

/** Keeps the key of a bundle the workspace imported; a key kept before stays as it is (a revoked one revoked). */
export async function keepImportedKey(
  workspaceId: string,
  key: { keyId: string; publicKeyPem: string; signerName: string },
): Promise<void> {
  try {
    await ImportedKeyModel.create({
      _id: idOf(workspaceId, key.keyId),
      workspaceId,
      keyId: key.keyId,
      publicKeyPem: key.publicKeyPem,
      signerName: key.signerName,
      status: 'active',
      importedAt: new Date(),
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** Stops trusting an imported key in this workspace: its imported versions stop verifying, its bundles are refused. */
export async function revokeImportedKey(workspaceId: string, keyId: string): Promise<ImportedKeyView> {
  const doc = (await ImportedKeyModel.findOneAndUpdate(
    { _id: idOf(workspaceId, keyId) },
    { $set: { status: 'revoked', revokedAt: new Date() } },
    { new: true },
  ).lean()) as ImportedKeyDoc | null;
  if (!doc) throw new MarketplaceError('not-found', `Signing key ${keyId} does not exist in this workspace.`);
  return toView(doc);
}
