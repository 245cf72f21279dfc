// The vault key: from BATON_ENCRYPTION_KEY (validated, never echoed), else a key file created once, 0600, by
// whichever of several racing processes gets there first.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../test/stack';
import { createKeyFile, ENCRYPTION_KEY_ENV, keyFilePath, loadVaultKey, vaultKeyId } from './vault-key';

const run = promisify(execFile);
const savedHome = process.env.BATON_HOME;
let home: string;

beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'baton-vault-key-'));
  process.env.BATON_HOME = home;
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  process.env.BATON_HOME = savedHome;
});

test('without BATON_ENCRYPTION_KEY a key file is generated once, 0600, with a notice naming it', () => {
  const first = loadVaultKey({});
  const file = keyFilePath(home);
  expect(first).toMatchObject({ source: 'file', file });
  expect(first.notice).toContain(file);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(first.key).toHaveLength(32);
  expect(first.id).toBe(vaultKeyId(first.key));

  const again = loadVaultKey({});
  expect(again.notice).toBeUndefined();
  expect(again.key.equals(first.key)).toBe(true);

  chmodSync(file, 0o644);
  expect(loadVaultKey({}).notice).toMatch(/readable by other users \(mode 644\)/);
});

test('processes racing to create the key file all end up with the same key', async () => {
  const script = `import('./db/vault-key.ts').then((m) => process.stdout.write(m.loadVaultKey({}).id))`;
  const env = { ...process.env, BATON_HOME: home };
  const ids = await Promise.all(
    Array.from({ length: 4 }, () =>
      run(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO_ROOT, env }).then((r) => r.stdout),
    ),
  );
  expect(new Set(ids).size).toBe(1);
  expect(ids[0]).toBe(loadVaultKey({}).id);
});

test('creating the key file never replaces one that exists, and leaves no temporary file', () => {
  const file = keyFilePath(home);
  const [first, second] = [randomBytes(32), randomBytes(32)];
  expect(createKeyFile(file, first)).toBe(true);
  expect(createKeyFile(file, second)).toBe(false);
  expect(loadVaultKey({}).key.equals(first)).toBe(true);
  expect(readdirSync(home)).toEqual(['vault.key']);
});

test('BATON_ENCRYPTION_KEY is taken in hex or base64 and wins over the key file', () => {
  const key = randomBytes(32);
  const fromHex = loadVaultKey({ [ENCRYPTION_KEY_ENV]: key.toString('hex') });
  const fromBase64 = loadVaultKey({ [ENCRYPTION_KEY_ENV]: `${key.toString('base64')}\n` });
  const fromBase64Url = loadVaultKey({ [ENCRYPTION_KEY_ENV]: key.toString('base64url') });
  for (const loaded of [fromHex, fromBase64, fromBase64Url]) {
    expect(loaded).toMatchObject({ source: 'env', id: vaultKeyId(key) });
    expect(loaded.key.equals(key)).toBe(true);
  }
  expect(() => statSync(keyFilePath(home))).toThrow(/ENOENT/);
});

test.each([
  ['too short', 'c2VjcmV0'],
  ['a passphrase', 'correct horse battery staple and more words'],
  ['31 bytes in hex', randomBytes(31).toString('hex')],
  ['33 bytes in base64', randomBytes(33).toString('base64')],
])('a bad BATON_ENCRYPTION_KEY (%s) fails naming the variable, never echoing the value', (_, value) => {
  let message = '';
  try {
    loadVaultKey({ [ENCRYPTION_KEY_ENV]: value });
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message).toMatch(/^BATON_ENCRYPTION_KEY must be a 256-bit key written as 64 hex characters or 44 base64/);
  expect(message).toContain('openssl rand -base64 32');
  expect(message).not.toContain(value);
});

test('a damaged key file is reported by its path', () => {
  loadVaultKey({});
  const file = keyFilePath(home);
  writeFileSync(file, readFileSync(file, 'utf8').slice(0, 20));
  expect(() => loadVaultKey({})).toThrow(`The vault key file ${file} must be a 256-bit key`);
});
