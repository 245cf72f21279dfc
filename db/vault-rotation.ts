// Rotating the vault key: every credential's (and saved browser session's) data key is unwrapped with the old key
// and wrapped with the new one; the encrypted values stay as they are. Resumable: those already under the new key are
// skipped, so a run cut short is finished by running it again (`baton credentials rotate-key` does).
import type mongoose from 'mongoose';
import { BrowserSessionModel, sessionSealBindingOf } from './browser-sessions';
import { CredentialModel, sealBindingOf, type CredentialDoc } from './credentials';
import { PublisherKeyModel, publisherKeySealBindingOf } from './publisher-keys';
import { rewrapDataKey, type SealBinding } from './vault-crypto';
import type { VaultKey } from './vault-key';

export interface RotationSummary {
  fromKeyId: string;
  toKeyId: string;
  /** Re-wrapped from the old key to the new one. */
  rotated: number;
  /** Already under the new key. */
  alreadyCurrent: number;
  /** Under neither key, by key id: left alone. */
  otherKeys: Record<string, number>;
  /** Under the old key but could not be re-wrapped (damaged or moved ciphertext); left alone. */
  failed: Array<{ id: string; workspaceId: string; name: string; reason: string }>;
}

type Sealed = Pick<CredentialDoc, '_id' | 'workspaceId' | 'type' | 'name' | 'sealed' | 'updatedAt'>;
const PROJECTION = { _id: 1, workspaceId: 1, type: 1, name: 1, sealed: 1, updatedAt: 1 };
const ATTEMPTS = 3;

/** The collections whose documents hold a vault envelope, and what each envelope is bound to. */
interface SealedCollection {
  model: mongoose.Model<Sealed>;
  bindingOf: (doc: Sealed) => SealBinding;
}
// Both are read and written only through the fields of `Sealed` (a session has no `type`, nor binds one).
const SEALED: SealedCollection[] = [
  { model: CredentialModel as unknown as mongoose.Model<Sealed>, bindingOf: sealBindingOf },
  { model: BrowserSessionModel as unknown as mongoose.Model<Sealed>, bindingOf: sessionSealBindingOf },
  // Marketplace signing keys' private halves (docs/decisions/061).
  { model: PublisherKeyModel as unknown as mongoose.Model<Sealed>, bindingOf: publisherKeySealBindingOf },
];

/** How many credentials and browser sessions each vault key id wraps. */
export async function vaultKeyIdsInUse(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { model } of SEALED) {
    const docs = await model.find({}, { 'sealed.keyId': 1 }).lean<Array<Pick<CredentialDoc, 'sealed'>>>();
    for (const doc of docs) counts[doc.sealed.keyId] = (counts[doc.sealed.keyId] ?? 0) + 1;
  }
  return counts;
}

/** Re-wraps one credential; the write is conditional, so an update racing it is re-read rather than undone. */
/** 'rotated', 'current', 'gone' (deleted meanwhile), or the id of the other key it is under. */
async function rotateOne(store: SealedCollection, first: Sealed, from: VaultKey, to: VaultKey): Promise<string> {
  let doc: Sealed | null = first;
  for (let attempt = 1; doc && attempt <= ATTEMPTS; attempt++) {
    if (doc.sealed.keyId === to.id) return 'current';
    if (doc.sealed.keyId !== from.id) return doc.sealed.keyId;
    const sealed = rewrapDataKey(doc.sealed, store.bindingOf(doc), from, to);
    const result = await store.model.collection.updateOne({ _id: doc._id, updatedAt: doc.updatedAt } as never, {
      $set: { sealed },
    });
    if (result.matchedCount === 1) return 'rotated';
    doc = await store.model.findOne({ _id: doc._id }, PROJECTION).lean<Sealed>();
  }
  if (!doc) return 'gone';
  throw new Error(`it kept changing during rotation (${ATTEMPTS} attempts); run rotate-key again`);
}

export async function rotateVaultKey(oldKey: VaultKey, newKey: VaultKey): Promise<RotationSummary> {
  if (oldKey.id === newKey.id) {
    throw new Error(`The new vault key is the current one (id ${oldKey.id}); rotate to a different key.`);
  }
  const summary: RotationSummary = {
    fromKeyId: oldKey.id,
    toKeyId: newKey.id,
    rotated: 0,
    alreadyCurrent: 0,
    otherKeys: {},
    failed: [],
  };
  const docs = [];
  for (const store of SEALED) {
    for (const doc of await store.model.find({}, PROJECTION).lean<Sealed[]>()) docs.push({ store, doc });
  }
  for (const { store, doc } of docs) {
    try {
      const outcome = await rotateOne(store, doc, oldKey, newKey);
      if (outcome === 'rotated') summary.rotated++;
      else if (outcome === 'current') summary.alreadyCurrent++;
      else if (outcome !== 'gone') summary.otherKeys[outcome] = (summary.otherKeys[outcome] ?? 0) + 1;
    } catch (err) {
      summary.failed.push({
        id: doc._id,
        workspaceId: doc.workspaceId,
        name: doc.name,
        reason: (err as Error).message,
      });
    }
  }
  return summary;
}
