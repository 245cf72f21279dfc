// The credential vault's key-encryption key (docs/decisions/037-credential-vault.md): BATON_ENCRYPTION_KEY, else
// one generated once into BATON_HOME/vault.key (0600). It only wraps each credential's own data key
// (db/credentials.ts), so rotating it re-wraps 32-byte keys. Its id, a short hash, is stored with every wrapped
// key, so rotation can tell old from new and a mismatch names the key that is missing.
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { batonHome } from './secret';

export const ENCRYPTION_KEY_ENV = 'BATON_ENCRYPTION_KEY';
export const KEY_FILE_NAME = 'vault.key';

export interface VaultKey {
  key: Buffer;
  /** 16 hex characters of a hash of the key; stored beside every wrapped data key. */
  id: string;
}

export interface LoadedVaultKey extends VaultKey {
  source: 'env' | 'file';
  /** The key file, when the key comes from one. */
  file?: string;
  /** For the caller to log once: the key file was just created, or is readable by other users. */
  notice?: string;
}

const HEX_KEY = /^[0-9a-f]{64}$/i;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

export function vaultKeyId(key: Buffer): string {
  return createHash('sha256').update('baton-vault-key-id\0').update(key).digest('hex').slice(0, 16);
}

export function generateVaultKey(): VaultKey {
  const key = randomBytes(32);
  return { key, id: vaultKeyId(key) };
}

/** The text form of a key, as BATON_ENCRYPTION_KEY and the key file hold it. */
export function formatVaultKey(key: Buffer): string {
  return key.toString('base64');
}

/**
 * Parses a 256-bit key written as 64 hex or 44 base64 characters. `origin` names where it came from in the error,
 * which never repeats the value.
 */
export function parseVaultKey(text: string, origin: string): VaultKey {
  const value = text.trim();
  const key = HEX_KEY.test(value)
    ? Buffer.from(value, 'hex')
    : BASE64_KEY.test(value)
      ? Buffer.from(value, 'base64')
      : undefined;
  if (!key || key.length !== 32) {
    throw new Error(
      `${origin} must be a 256-bit key written as 64 hex characters or 44 base64 characters ` +
        `(generate one with \`openssl rand -base64 32\`); the value given is ${value.length} characters long ` +
        'and is neither.',
    );
  }
  return { key, id: vaultKeyId(key) };
}

export function keyFilePath(home = batonHome()): string {
  return join(home, KEY_FILE_NAME);
}

/** Where `rotate-key` keeps a replaced key file, named by the key's id so a resumed rotation can find it. */
export function backupKeyFilePath(id: string, home = batonHome()): string {
  return join(home, `${KEY_FILE_NAME}.${id}.bak`);
}

/**
 * Writes `key` to `file` only if no file is there yet. The key is written in full to a private temporary file
 * first and then hard-linked into place, which fails if the name exists: a process racing us never reads a
 * half-written key. Returns whether this call created the file.
 */
export function createKeyFile(file: string, key: Buffer): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${formatVaultKey(key)}\n`, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  } finally {
    unlinkSync(tmp);
  }
}

/** Replaces the key in `file` at once (rename over it), keeping the 0600 mode. */
export function replaceKeyFile(file: string, key: Buffer): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${formatVaultKey(key)}\n`, { flag: 'wx', mode: 0o600 });
  renameSync(tmp, file);
}

export function readKeyFile(file: string): VaultKey {
  return parseVaultKey(readFileSync(file, 'utf8'), `The vault key file ${file}`);
}

/**
 * The key-encryption key, read on every call (the file is small and the vault is not a hot path), so a key file
 * replaced by `baton credentials rotate-key` takes effect in running processes at once.
 */
export function loadVaultKey(env: Record<string, string | undefined> = process.env): LoadedVaultKey {
  const fromEnv = env[ENCRYPTION_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { ...parseVaultKey(fromEnv, ENCRYPTION_KEY_ENV), source: 'env' };
  }
  const home = batonHome();
  const file = keyFilePath(home);
  mkdirSync(home, { recursive: true });
  let created = false;
  try {
    statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    created = createKeyFile(file, generateVaultKey().key);
  }
  const loaded: LoadedVaultKey = { ...readKeyFile(file), source: 'file', file };
  const mode = statSync(file).mode & 0o777;
  if (created) {
    loaded.notice =
      `Generated the credential vault key in ${file} (readable by this user only). Back it up: stored ` +
      `credentials cannot be decrypted without it. To keep it elsewhere, set ${ENCRYPTION_KEY_ENV} instead.`;
  } else if (mode & 0o077) {
    loaded.notice = `The vault key file ${file} is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it.`;
  }
  return loaded;
}
