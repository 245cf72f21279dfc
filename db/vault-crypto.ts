// The envelope that holds a credential's secret values (docs/decisions/037-credential-vault.md): AES-256-GCM under
// a random data key made for each write, and the data key AES-256-GCM-wrapped by the vault key. Both carry
// additional authenticated data naming the credential, its workspace and type, so a ciphertext copied into another
// document does not decrypt. Rotation re-wraps the data key and leaves the data as it is.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { VaultKey } from './vault-key';

export interface SealedSecrets {
  /** Envelope format. */
  v: 1;
  /** Id of the vault key that wrapped `dataKey`. */
  keyId: string;
  /** base64 of iv (12 bytes) | wrapped data key (32) | tag (16). */
  dataKey: string;
  /** base64 of iv (12 bytes) | encrypted JSON of the secret values | tag (16). */
  data: string;
}

/** What a sealed value belongs to; changing any part makes it fail to open. */
export interface SealBinding {
  workspaceId: string;
  credentialId: string;
  type: string;
}

/** A sealed value that does not open: wrong key, or bound to another credential, or tampered with. */
export class VaultDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultDecryptError';
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
}

function decrypt(key: Buffer, box: string, aad: Buffer, what: string): Buffer {
  const bytes = Buffer.from(box, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new VaultDecryptError(`${what} is truncated`);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(aad);
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new VaultDecryptError(`${what} does not authenticate (another key, another credential, or altered)`);
  }
}

const dataAad = (b: SealBinding) =>
  Buffer.from(`baton-credential-secrets/v1\0${b.workspaceId}\0${b.credentialId}\0${b.type}`);
const keyAad = (b: SealBinding, keyId: string) =>
  Buffer.from(`baton-credential-key/v1\0${b.workspaceId}\0${b.credentialId}\0${keyId}`);

function unwrapDataKey(sealed: SealedSecrets, binding: SealBinding, kek: VaultKey): Buffer {
  if (sealed.v !== 1) throw new VaultDecryptError(`envelope format ${String(sealed.v)} is unknown`);
  if (sealed.keyId !== kek.id) {
    throw new VaultDecryptError(`its data key is wrapped by vault key ${sealed.keyId}, not by ${kek.id}`);
  }
  return decrypt(kek.key, sealed.dataKey, keyAad(binding, kek.id), 'its data key');
}

export function sealSecrets(values: Record<string, string>, binding: SealBinding, kek: VaultKey): SealedSecrets {
  const dataKey = randomBytes(32);
  try {
    return {
      v: 1,
      keyId: kek.id,
      dataKey: encrypt(kek.key, dataKey, keyAad(binding, kek.id)),
      data: encrypt(dataKey, Buffer.from(JSON.stringify(values), 'utf8'), dataAad(binding)),
    };
  } finally {
    dataKey.fill(0);
  }
}

export function openSecrets(sealed: SealedSecrets, binding: SealBinding, kek: VaultKey): Record<string, string> {
  const dataKey = unwrapDataKey(sealed, binding, kek);
  try {
    return JSON.parse(decrypt(dataKey, sealed.data, dataAad(binding), 'its secret values').toString('utf8'));
  } finally {
    dataKey.fill(0);
  }
}

/** The same envelope with its data key wrapped by `to` instead of `from`; the encrypted values are unchanged. */
export function rewrapDataKey(
  sealed: SealedSecrets,
  binding: SealBinding,
  from: VaultKey,
  to: VaultKey,
): SealedSecrets {
  const dataKey = unwrapDataKey(sealed, binding, from);
  try {
    // Opening the values proves the envelope is whole before the old wrapping is thrown away.
    decrypt(dataKey, sealed.data, dataAad(binding), 'its secret values').fill(0);
    return { ...sealed, keyId: to.id, dataKey: encrypt(to.key, dataKey, keyAad(binding, to.id)) };
  } finally {
    dataKey.fill(0);
  }
}
