// `baton credentials rotate-key [--new-key <key>]`: re-wraps every credential's data key under a new vault key
// (docs/decisions/037-credential-vault.md). With a key file, the new key replaces it and the old one is kept as
// vault.key.<id>.bak, which also lets a rotation cut short be finished by running the command again.
import { existsSync } from 'node:fs';
import { connectDb, disconnectDb } from '../../db/connection';
import {
  backupKeyFilePath,
  createKeyFile,
  ENCRYPTION_KEY_ENV,
  generateVaultKey,
  loadVaultKey,
  parseVaultKey,
  readKeyFile,
  replaceKeyFile,
  type VaultKey,
} from '../../db/vault-key';
import { rotateVaultKey, vaultKeyIdsInUse, type RotationSummary } from '../../db/vault-rotation';
import { externalServiceEnv } from '../lib/service-env';

const usage = `Usage: baton credentials rotate-key [--new-key <key>]

Re-encrypts every stored credential under a new vault key.
  --new-key <key>   the new key (64 hex or 44 base64 characters, e.g. from \`openssl rand -base64 32\`),
                    or - to read it from standard input; required when ${ENCRYPTION_KEY_ENV} is set,
                    generated into the key file otherwise.`;

const log = (line: string) => console.log(`[baton] ${line}`);

function describe(summary: RotationSummary): string {
  const parts = [`${summary.rotated} re-encrypted from key ${summary.fromKeyId} to key ${summary.toKeyId}`];
  if (summary.alreadyCurrent) parts.push(`${summary.alreadyCurrent} already under the new key`);
  for (const [id, count] of Object.entries(summary.otherKeys))
    parts.push(`${count} under another key ${id}, left alone`);
  for (const failed of summary.failed) {
    parts.push(`FAILED ${failed.id} "${failed.name}" (workspace ${failed.workspaceId}): ${failed.reason}`);
  }
  return `Credentials: ${parts.join('; ')}.`;
}

/** Finishes rotations cut short: credentials still under a key whose backup file is at hand move to `current`. */
async function finishInterrupted(current: VaultKey): Promise<void> {
  for (const id of Object.keys(await vaultKeyIdsInUse())) {
    const backup = backupKeyFilePath(id);
    if (id === current.id || !existsSync(backup)) continue;
    log(`Finishing an earlier rotation from key ${id} (${backup}).`);
    log(describe(await rotateVaultKey(readKeyFile(backup), current)));
  }
}

async function rotateKey(newKeyText: string | undefined): Promise<number> {
  const current = loadVaultKey();
  if (current.notice) log(current.notice);
  const next = newKeyText === undefined ? generateVaultKey() : parseVaultKey(newKeyText, '--new-key');
  if (current.source === 'env') {
    if (newKeyText === undefined) {
      console.error(
        `${ENCRYPTION_KEY_ENV} is set, so the new key must come from you: run again with --new-key <key> ` +
          `(e.g. from \`openssl rand -base64 32\`), then set ${ENCRYPTION_KEY_ENV} to that key.`,
      );
      return 2;
    }
    log(describe(await rotateVaultKey(current, next)));
    log(`Now set ${ENCRYPTION_KEY_ENV} to the new key (id ${next.id}) for the web and every worker, and restart them.`);
  } else {
    await finishInterrupted(current);
    const backup = backupKeyFilePath(current.id);
    if (!existsSync(backup)) createKeyFile(backup, current.key);
    // The new key is on disk before any credential depends on it; the backup lets a second run finish the job.
    replaceKeyFile(current.file!, next.key);
    log(describe(await rotateVaultKey(current, next)));
    log(`The key file ${current.file} now holds key ${next.id}; running processes read it on their next use.`);
    log(`The previous key is kept in ${backup}: database backups made before now need it to be read.`);
  }
  const leftover = Object.entries(await vaultKeyIdsInUse()).filter(([id]) => id !== next.id);
  for (const [id, count] of leftover) log(`Warning: ${count} credentials are still under key ${id}.`);
  return leftover.length ? 1 : 0;
}

/** `-` reads the key from standard input, which keeps it out of the process list and shell history. */
async function keyArgument(value: string | undefined): Promise<string | undefined> {
  if (value !== '-') return value;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const flag = rest.indexOf('--new-key');
  const given = flag === -1 ? undefined : rest[flag + 1];
  const unknown = flag === -1 ? rest : rest.filter((_, i) => i !== flag && i !== flag + 1);
  if (sub !== 'rotate-key' || (flag !== -1 && !given) || unknown.length) {
    console.error(usage);
    return 2;
  }
  const newKey = await keyArgument(given);
  await connectDb(process.env.MONGODB_URI || externalServiceEnv().MONGODB_URI);
  try {
    return await rotateKey(newKey);
  } finally {
    await disconnectDb();
  }
}
