// Rotating the vault key: every envelope sealed with it (credentials' secrets, saved browser sessions, publisher
// signing keys, takeover tasks' relay tokens) has its data key unwrapped with the old key and wrapped with the new
// one; the encrypted values stay as they are. Resumable: those already under the new key are skipped, so a run cut
// short is finished by running it again (`baton credentials rotate-key` does).
import type mongoose from 'mongoose';
import { replaceSealedRelayToken, sealedRelayToken, sealedRelayTokens } from './browser-takeovers';
import { BrowserSessionModel, sessionSealBindingOf } from './browser-sessions';
import { CredentialModel, sealBindingOf, type CredentialDoc } from './credentials';
import { PublisherKeyModel, publisherKeySealBindingOf } from './publisher-keys';
import { rewrapDataKey, type SealBinding, type SealedSecrets } from './vault-crypto';
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

/** One stored envelope, what it is bound to, and what a conditional write compares to find it unchanged. */
export interface SealedItem {
  id: string;
  workspaceId: string;
  /** Names it in a failure report. */
  name: string;
  sealed: SealedSecrets;
  binding: SealBinding;
  /** Fields that change with every write of the document: the re-wrap is written only where they still match. */
  unchanged: Record<string, unknown>;
}

/** A collection holding vault envelopes, read and written through its own module's format. */
interface SealedStore {
  list(): Promise<SealedItem[]>;
  reread(id: string): Promise<SealedItem | null>;
  /** Replaces the envelope if the document is as it was read; false when it changed (or went) meanwhile. */
  write(item: SealedItem, sealed: SealedSecrets): Promise<boolean>;
}

type Sealed = Pick<CredentialDoc, '_id' | 'workspaceId' | 'type' | 'name' | 'sealed' | 'updatedAt'>;
const PROJECTION = { _id: 1, workspaceId: 1, type: 1, name: 1, sealed: 1, updatedAt: 1 };
const ATTEMPTS = 3;

/** A collection whose documents keep the envelope in a `sealed` field and bump `updatedAt` on every write. */
function sealedField(model: mongoose.Model<Sealed>, bindingOf: (doc: Sealed) => SealBinding): SealedStore {
  const item = (doc: Sealed): SealedItem => ({
    id: doc._id,
    workspaceId: doc.workspaceId,
    name: doc.name,
    sealed: doc.sealed,
    binding: bindingOf(doc),
    unchanged: { updatedAt: doc.updatedAt },
  });
  return {
    list: async () => (await model.find({}, PROJECTION).lean<Sealed[]>()).map(item),
    reread: async (id) => {
      const doc = await model.findOne({ _id: id }, PROJECTION).lean<Sealed>();
      return doc ? item(doc) : null;
    },
    write: async ({ id, unchanged }, sealed) =>
      (await model.collection.updateOne({ _id: id, ...unchanged } as never, { $set: { sealed } })).matchedCount === 1,
  };
}

// Every field of db/ that holds a vault envelope (db/vault-rotation.test.ts fails when a module seals something
// that is not listed here). Credentials, sessions and publisher keys are read only through the fields of `Sealed`
// (a session or key has no `type`, nor binds one).
const SEALED: SealedStore[] = [
  sealedField(CredentialModel as unknown as mongoose.Model<Sealed>, sealBindingOf),
  sealedField(BrowserSessionModel as unknown as mongoose.Model<Sealed>, sessionSealBindingOf),
  // Marketplace signing keys' private halves (docs/decisions/061).
  sealedField(PublisherKeyModel as unknown as mongoose.Model<Sealed>, publisherKeySealBindingOf),
  // Takeover tasks' relay tokens (docs/decisions/059): an open task re-wrapped stays viewable after rotation.
  { list: sealedRelayTokens, reread: sealedRelayToken, write: replaceSealedRelayToken },
];

/** How many stored envelopes (credentials, sessions, signing keys, takeover tokens) each vault key id wraps. */
export async function vaultKeyIdsInUse(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const store of SEALED) {
    for (const { sealed } of await store.list()) counts[sealed.keyId] = (counts[sealed.keyId] ?? 0) + 1;
  }
  return counts;
}

/**
 * Re-wraps one envelope; the write is conditional, so an update racing it is re-read rather than undone.
 * 'rotated', 'current', 'gone' (deleted meanwhile), or the id of the other key it is under.
 */
async function rotateOne(store: SealedStore, first: SealedItem, from: VaultKey, to: VaultKey): Promise<string> {
  let item: SealedItem | null = first;
  for (let attempt = 1; item && attempt <= ATTEMPTS; attempt++) {
    if (item.sealed.keyId === to.id) return 'current';
    if (item.sealed.keyId !== from.id) return item.sealed.keyId;
    if (await store.write(item, rewrapDataKey(item.sealed, item.binding, from, to))) return 'rotated';
    item = await store.reread(item.id);
  }
  if (!item) return 'gone';
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
  const items = [];
  for (const store of SEALED) for (const item of await store.list()) items.push({ store, item });
  for (const { store, item } of items) {
    try {
      const outcome = await rotateOne(store, item, oldKey, newKey);
      if (outcome === 'rotated') summary.rotated++;
      else if (outcome === 'current') summary.alreadyCurrent++;
      else if (outcome !== 'gone') summary.otherKeys[outcome] = (summary.otherKeys[outcome] ?? 0) + 1;
    } catch (err) {
      const { id, workspaceId, name } = item;
      summary.failed.push({ id, workspaceId, name, reason: (err as Error).message });
    }
  }
  return summary;
}
