// `baton credentials rotate-key`, run as a user runs it, against the real FerretDB: with a key file (new key
// generated, old one kept as a 0600 backup, an interrupted rotation finished), and with BATON_ENCRYPTION_KEY.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../../db/connection';
import { createCredential, decryptCredential } from '../../db/credentials';
import {
  backupKeyFilePath,
  createKeyFile,
  ENCRYPTION_KEY_ENV,
  formatVaultKey,
  generateVaultKey,
  keyFilePath,
  loadVaultKey,
  readKeyFile,
  replaceKeyFile,
} from '../../db/vault-key';
import { vaultKeyIdsInUse } from '../../db/vault-rotation';
import { systemScope } from '../../db/workspaces';
import { REPO_ROOT, testDatabaseUri } from '../../test/stack';

const uri = testDatabaseUri('baton_test_credentials_cli');
const savedHome = process.env.BATON_HOME;
let home: string;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function baton(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['bin/baton.mjs', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, MONGODB_URI: uri, BATON_HOME: home, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin);
  });
}

/** Stores bearer-token credentials in two workspaces; returns their ids and tokens. */
async function storeSome(count: number): Promise<Map<string, { workspaceId: string; token: string }>> {
  const stored = new Map<string, { workspaceId: string; token: string }>();
  for (let i = 0; i < count; i++) {
    const scope = systemScope(i % 2 ? 'ws_a' : 'ws_b');
    const token = `canary-${randomUUID()}`;
    const cred = await createCredential(scope, { name: `Token ${i}`, type: 'bearer-token', values: { token } });
    stored.set(cred.id, { workspaceId: scope.workspaceId, token });
  }
  return stored;
}

async function expectAllReadable(stored: Map<string, { workspaceId: string; token: string }>): Promise<void> {
  for (const [id, { workspaceId, token }] of stored) {
    expect((await decryptCredential(workspaceId, id)).values.token).toBe(token);
  }
}

beforeAll(async () => {
  await connectDb(uri);
});

beforeEach(async () => {
  await mongoose.connection.db!.dropDatabase();
  home = mkdtempSync(path.join(tmpdir(), 'baton-rotate-'));
  process.env.BATON_HOME = home;
  delete process.env[ENCRYPTION_KEY_ENV];
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  delete process.env[ENCRYPTION_KEY_ENV];
});

afterAll(async () => {
  await disconnectDb();
  process.env.BATON_HOME = savedHome;
});

test('with a key file: a new key replaces it, the old one is kept 0600, every credential still decrypts', async () => {
  const stored = await storeSome(3);
  const before = loadVaultKey();

  const { code, stdout } = await baton(['credentials', 'rotate-key']);
  expect(code).toBe(0);
  const after = loadVaultKey();
  expect(after.id).not.toBe(before.id);
  expect(stdout).toContain(`Credentials: 3 re-encrypted from key ${before.id} to key ${after.id}.`);
  const backup = backupKeyFilePath(before.id, home);
  expect(stdout).toContain(`The previous key is kept in ${backup}`);
  expect(readKeyFile(backup).key.equals(before.key)).toBe(true);
  expect(statSync(backup).mode & 0o777).toBe(0o600);
  expect(statSync(keyFilePath(home)).mode & 0o777).toBe(0o600);
  expect(await vaultKeyIdsInUse()).toEqual({ [after.id]: 3 });
  await expectAllReadable(stored);
});

test('a rotation cut short after the key file was replaced is finished by running the command again', async () => {
  const stored = await storeSome(2);
  const interrupted = loadVaultKey();
  const newer = generateVaultKey();
  // What the command had done when it stopped: backup written, key file replaced, no credential re-wrapped yet.
  createKeyFile(backupKeyFilePath(interrupted.id, home), interrupted.key);
  replaceKeyFile(keyFilePath(home), newer.key);

  const { code, stdout } = await baton(['credentials', 'rotate-key']);
  expect(code).toBe(0);
  expect(stdout).toContain(`Finishing an earlier rotation from key ${interrupted.id}`);
  expect(stdout).toContain(`Credentials: 2 re-encrypted from key ${interrupted.id} to key ${newer.id}.`);
  const final = loadVaultKey();
  expect(stdout).toContain(`Credentials: 2 re-encrypted from key ${newer.id} to key ${final.id}.`);
  expect(await vaultKeyIdsInUse()).toEqual({ [final.id]: 2 });
  await expectAllReadable(stored);
});

test('with BATON_ENCRYPTION_KEY: the new key must be given, read from stdin, and then set by the operator', async () => {
  const oldKey = generateVaultKey();
  const newKey = generateVaultKey();
  process.env[ENCRYPTION_KEY_ENV] = formatVaultKey(oldKey.key);
  const stored = await storeSome(2);
  const env = { [ENCRYPTION_KEY_ENV]: formatVaultKey(oldKey.key) };

  const refused = await baton(['credentials', 'rotate-key'], env);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('BATON_ENCRYPTION_KEY is set, so the new key must come from you');

  const bad = await baton(['credentials', 'rotate-key', '--new-key', '-'], env, 'not a key\n');
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('--new-key must be a 256-bit key');

  const { code, stdout } = await baton(
    ['credentials', 'rotate-key', '--new-key', '-'],
    env,
    formatVaultKey(newKey.key),
  );
  expect(code).toBe(0);
  expect(stdout).toContain(`Credentials: 2 re-encrypted from key ${oldKey.id} to key ${newKey.id}.`);
  expect(stdout).toContain(`Now set BATON_ENCRYPTION_KEY to the new key (id ${newKey.id})`);
  expect(stdout).not.toContain(formatVaultKey(newKey.key));
  expect(existsSync(keyFilePath(home))).toBe(false);

  process.env[ENCRYPTION_KEY_ENV] = formatVaultKey(newKey.key);
  await expectAllReadable(stored);
});

test('an unknown subcommand prints the usage', async () => {
  const { code, stderr } = await baton(['credentials', 'rotate']);
  expect(code).toBe(2);
  expect(stderr).toContain('Usage: baton credentials rotate-key [--new-key <key>]');
});
