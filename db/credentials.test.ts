// The credential vault against the real FerretDB: secrets never stored or returned in clear, workspaces kept apart,
// ciphertexts bound to their document, and key rotation that keeps every credential readable.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { testDatabaseUri } from '../test/stack';
import { connectDb, disconnectDb } from './connection';
import {
  createCredential,
  CredentialError,
  decryptCredential,
  deleteCredential,
  getCredential,
  listCredentials,
  updateCredential,
} from './credentials';
import { ENCRYPTION_KEY_ENV, formatVaultKey, generateVaultKey, keyFilePath, loadVaultKey } from './vault-key';
import { rotateVaultKey, vaultKeyIdsInUse } from './vault-rotation';
import { createWorkspace, membershipOf, scopeOf, type WorkspaceScope } from './workspaces';

const savedHome = process.env.BATON_HOME;
const savedKey = process.env[ENCRYPTION_KEY_ENV];
let home: string;
let hr: WorkspaceScope;
let it: WorkspaceScope;

const canary = () => `canary-${randomUUID()}`;

async function ownerScope(name: string, owner: string): Promise<WorkspaceScope> {
  const ws = await createWorkspace({ name, ownerId: owner });
  return scopeOf((await membershipOf(ws.id, owner))!);
}

/** Every document of every collection of the test database, as raw BSON and as extended JSON. */
async function everyStoredDocument(): Promise<Array<{ collection: string; bson: Buffer; json: string }>> {
  const db = mongoose.connection.db!;
  const out: Array<{ collection: string; bson: Buffer; json: string }> = [];
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find({}).toArray()) {
      out.push({
        collection: name,
        bson: Buffer.from(mongoose.mongo.BSON.serialize(doc)),
        json: mongoose.mongo.BSON.EJSON.stringify(doc),
      });
    }
  }
  return out;
}

async function errorOf(promise: Promise<unknown>): Promise<CredentialError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof CredentialError) return err;
    throw err;
  }
  throw new Error('expected a CredentialError');
}

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'baton-credentials-'));
  process.env.BATON_HOME = home;
  delete process.env[ENCRYPTION_KEY_ENV];
  await connectDb(testDatabaseUri('baton_test_credentials'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
  hr = await ownerScope('HR', 'alice');
  it = await ownerScope('IT', 'bob');
});

afterAll(async () => {
  await disconnectDb();
  rmSync(home, { recursive: true, force: true });
  process.env.BATON_HOME = savedHome;
  if (savedKey === undefined) delete process.env[ENCRYPTION_KEY_ENV];
  else process.env[ENCRYPTION_KEY_ENV] = savedKey;
});

afterEach(() => {
  delete process.env[ENCRYPTION_KEY_ENV];
});

test('a canary secret is in no stored document, no view and not in the key file; decryption returns it', async () => {
  const token = canary();
  const password = canary();
  const slack = await createCredential(hr, { name: 'HR Slack', type: 'slack-bot', values: { token } });
  const smtp = await createCredential(hr, {
    name: 'Mail',
    type: 'smtp',
    values: { host: 'smtp.example.com', port: 465, secure: true, user: 'hr@example.com', password },
  });
  const changed = canary();
  const updated = await updateCredential(hr, smtp.id, { values: { password: changed } });

  const views = [slack, smtp, updated, await getCredential(hr, slack.id), await listCredentials(hr)];
  const shown = JSON.stringify(views);
  const key = loadVaultKey();
  const stored = await everyStoredDocument();
  expect(stored.some((d) => d.collection === 'credentials')).toBe(true);
  for (const secret of [token, password, changed, key.key.toString('base64'), key.key.toString('hex')]) {
    expect(shown).not.toContain(secret);
    for (const doc of stored) {
      expect(doc.json).not.toContain(secret);
      expect(doc.bson.includes(Buffer.from(secret))).toBe(false);
    }
  }
  expect(stored.some((d) => d.bson.includes(key.key))).toBe(false);
  const keyFile = readFileSync(keyFilePath(home), 'utf8');
  for (const secret of [token, password, changed]) expect(keyFile).not.toContain(secret);

  expect(slack).toMatchObject({ type: 'slack-bot', fields: { host: 'slack.com' } });
  expect(slack.secretFields).toEqual({ token: 'set' });
  expect(updated).toMatchObject({
    fields: { host: 'smtp.example.com', port: 465, secure: true, user: 'hr@example.com' },
  });
  expect((await decryptCredential(hr.workspaceId, slack.id)).values).toEqual({
    host: 'slack.com',
    token,
  });
  expect((await decryptCredential(hr.workspaceId, smtp.id)).values.password).toBe(changed);
});

test('an update keeps secrets left blank, changes the others, and empties the ones it is told to clear', async () => {
  const password = canary();
  const created = await createCredential(hr, {
    name: 'Postgres',
    type: 'postgres',
    values: { host: 'db.internal', database: 'hr', user: 'reader', password },
  });
  expect(created.fields).toEqual({ host: 'db.internal', port: 5432, database: 'hr', user: 'reader' });
  expect(created.secretFields).toEqual({ password: 'set' });

  const renamed = await updateCredential(hr, created.id, {
    name: '  HR database ',
    values: { database: 'hr2', password: '[secret]' },
  });
  expect(renamed).toMatchObject({
    name: 'HR database',
    fields: { host: 'db.internal', database: 'hr2' },
    secretFields: { password: 'set' },
  });
  expect((await decryptCredential(hr.workspaceId, created.id)).values.password).toBe(password);

  await updateCredential(hr, created.id, { values: { user: 'writer', password: '' } });
  expect((await decryptCredential(hr.workspaceId, created.id)).values).toMatchObject({ user: 'writer', password });

  const cleared = await updateCredential(hr, created.id, { clear: ['password'] });
  expect(cleared!.secretFields).toEqual({ password: 'empty' });
  expect((await decryptCredential(hr.workspaceId, created.id)).values).not.toHaveProperty('password');
});

test('moving a credential to another host, port or URL needs its secrets again, so an editor cannot redirect them', async () => {
  const password = canary();
  const created = await createCredential(hr, {
    name: 'Payroll DB',
    type: 'postgres',
    values: { host: 'db.internal', database: 'pay', user: 'reader', password },
  });
  for (const values of [{ host: 'evil.example' }, { port: 6543 }, { host: 'evil.example', password: '[secret]' }]) {
    const refused = await errorOf(updateCredential(hr, created.id, { values }));
    expect(refused).toMatchObject({ code: 'invalid', issues: [{ field: 'password' }] });
    expect(refused.message).toMatch(/enter Password again/);
  }
  // Nothing was saved by the refused changes.
  expect((await decryptCredential(hr.workspaceId, created.id)).values).toMatchObject({ host: 'db.internal', password });
  // With the password given again, or cleared, the move goes through.
  const moved = await updateCredential(hr, created.id, { values: { host: 'db2.internal', password: 'new-one' } });
  expect(moved!.fields).toMatchObject({ host: 'db2.internal' });
  await updateCredential(hr, created.id, { values: { host: 'db3.internal' }, clear: ['password'] });
  expect((await decryptCredential(hr.workspaceId, created.id)).values).toMatchObject({ host: 'db3.internal' });
  expect((await decryptCredential(hr.workspaceId, created.id)).values).not.toHaveProperty('password');
});

test('values are checked against the credential type, field by field', async () => {
  const invalid = await errorOf(
    createCredential(hr, { name: 'Bad', type: 'bamboohr', values: { companyDomain: 'acme/../x', extra: 1 } }),
  );
  expect(invalid.code).toBe('invalid');
  expect(invalid.issues).toEqual([
    { field: 'extra', message: 'is not a field of BambooHR credentials' },
    { field: 'companyDomain', message: 'Company domain: must be the name before .bamboohr.com' },
    { field: 'apiKey', message: 'API key is required' },
  ]);
  expect((await errorOf(createCredential(hr, { name: 'X', type: 'nope', values: {} }))).message).toBe(
    'Unknown credential type "nope"',
  );
  expect(
    (await errorOf(createCredential(hr, { name: ' ', type: 'bearer-token', values: { token: 't' } }))).issues,
  ).toEqual([{ field: 'name', message: 'Name must be 1 to 200 characters' }]);
  const required = await createCredential(hr, { name: 'Token', type: 'bearer-token', values: { token: canary() } });
  expect((await errorOf(updateCredential(hr, required.id, { clear: ['token'] }))).issues).toEqual([
    { field: 'token', message: 'Token is required' },
  ]);
});

test('another workspace can neither read, list, change, delete nor decrypt a credential', async () => {
  const secret = canary();
  const cred = await createCredential(hr, {
    name: 'Directory',
    type: 'bamboohr',
    values: { companyDomain: 'acme', apiKey: secret },
  });

  expect(await getCredential(it, cred.id)).toBeUndefined();
  expect((await listCredentials(it)).map((c) => c.id)).not.toContain(cred.id);
  expect(await updateCredential(it, cred.id, { name: 'Mine now' })).toBeUndefined();
  expect(await deleteCredential(it, cred.id)).toBe(false);
  const denied = await errorOf(decryptCredential(it.workspaceId, cred.id));
  expect(denied.code).toBe('not-found');
  expect(denied.message).not.toContain(secret);

  expect(await getCredential(hr, cred.id)).toMatchObject({ name: 'Directory' });
  expect((await listCredentials(hr, { type: 'bamboohr' })).map((c) => c.id)).toEqual([cred.id]);
  expect(await deleteCredential(hr, cred.id)).toBe(true);
  expect(await getCredential(hr, cred.id)).toBeUndefined();
});

test('a ciphertext moved to another credential or another workspace does not decrypt', async () => {
  const first = await createCredential(hr, { name: 'A', type: 'bearer-token', values: { token: canary() } });
  const second = await createCredential(hr, { name: 'B', type: 'bearer-token', values: { token: canary() } });
  const credentials = mongoose.connection.db!.collection<{ _id: string; [field: string]: unknown }>('credentials');
  const stolen = (await credentials.findOne({ _id: first.id }))!;

  await credentials.updateOne({ _id: second.id }, { $set: { sealed: stolen.sealed } });
  const swapped = await errorOf(decryptCredential(hr.workspaceId, second.id));
  expect(swapped.code).toBe('undecryptable');
  expect(swapped.message).toMatch(
    /^Credential "B" \(cred_[0-9a-f-]+\) cannot be decrypted: its data key does not authenticate/,
  );

  // The whole document carried into the other workspace, id and all.
  await credentials.deleteOne({ _id: first.id });
  await credentials.insertOne({ ...stolen, workspaceId: it.workspaceId });
  expect((await errorOf(decryptCredential(it.workspaceId, first.id))).code).toBe('undecryptable');
  await credentials.deleteOne({ _id: first.id });
  await credentials.deleteOne({ _id: second.id });
});

test('rotating the vault key keeps every credential readable and leaves no credential under the old key', async () => {
  const oldKey = generateVaultKey();
  const newKey = generateVaultKey();
  process.env[ENCRYPTION_KEY_ENV] = formatVaultKey(oldKey.key);
  const secrets = new Map<string, { workspaceId: string; token: string }>();
  for (const scope of [hr, it, hr]) {
    const token = canary();
    const cred = await createCredential(scope, { name: `Rotated ${token}`, type: 'bearer-token', values: { token } });
    secrets.set(cred.id, { workspaceId: scope.workspaceId, token });
  }
  const before = await vaultKeyIdsInUse();
  expect(before[oldKey.id]).toBe(3);

  const summary = await rotateVaultKey(oldKey, newKey);
  expect(summary).toMatchObject({ fromKeyId: oldKey.id, toKeyId: newKey.id, rotated: 3, failed: [] });
  const after = await vaultKeyIdsInUse();
  expect(after[oldKey.id]).toBeUndefined();
  expect(after[newKey.id]).toBe((before[newKey.id] ?? 0) + 3);

  process.env[ENCRYPTION_KEY_ENV] = formatVaultKey(newKey.key);
  for (const [id, { workspaceId, token }] of secrets) {
    expect((await decryptCredential(workspaceId, id)).values.token).toBe(token);
  }
  process.env[ENCRYPTION_KEY_ENV] = formatVaultKey(oldKey.key);
  const [someId, some] = [...secrets][0];
  const stale = await errorOf(decryptCredential(some.workspaceId, someId));
  expect(stale.code).toBe('undecryptable');
  expect(stale.message).toContain(`This process has vault key ${oldKey.id}: give it the key with id ${newKey.id}`);

  const again = await rotateVaultKey(oldKey, newKey);
  expect(again).toMatchObject({ rotated: 0, alreadyCurrent: after[newKey.id], failed: [] });
  await expect(rotateVaultKey(newKey, newKey)).rejects.toThrow(
    `The new vault key is the current one (id ${newKey.id})`,
  );
});

test('a rotation reports credentials whose ciphertext was tampered with and leaves them alone', async () => {
  const oldKey = generateVaultKey();
  process.env[ENCRYPTION_KEY_ENV] = formatVaultKey(oldKey.key);
  const cred = await createCredential(it, { name: 'Tampered', type: 'bearer-token', values: { token: canary() } });
  const credentials = mongoose.connection.db!.collection<{ _id: string; [field: string]: unknown }>('credentials');
  await credentials.updateOne({ _id: cred.id }, { $set: { 'sealed.dataKey': randomBytes(60).toString('base64') } });

  const summary = await rotateVaultKey(oldKey, generateVaultKey());
  expect(summary.failed).toEqual([
    {
      id: cred.id,
      workspaceId: it.workspaceId,
      name: 'Tampered',
      reason: 'its data key does not authenticate (another key, another credential, or altered)',
    },
  ]);
  expect((await vaultKeyIdsInUse())[oldKey.id]).toBe(1);
  await credentials.deleteOne({ _id: cred.id });
});
