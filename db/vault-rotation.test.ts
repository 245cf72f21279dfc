// Vault key rotation over every kind of envelope db/ stores, against the real FerretDB: a credential, a saved browser
// session, a publisher signing key and an open takeover task are all re-wrapped, each still opens under the new key
// (a person can still take over the open task: the relay token the web server dials with comes back), no stored
// document names the old key any more, and a module of db/ that seals something rotation does not know fails here.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import type { TakeoverTask } from '../contracts/browser-takeover';
import { testDatabaseUri } from '../test/stack';
import { loadBrowserSession, saveBrowserSession } from './browser-sessions';
import {
  closeTakeover,
  newTakeoverId,
  openTakeover,
  replaceSealedRelayToken,
  sealedRelayToken,
  takeoverRelay,
} from './browser-takeovers';
import { connectDb, disconnectDb } from './connection';
import { createCredential, decryptCredential } from './credentials';
import { activeKey, signPayload, verifyPayload } from './publisher-keys';
import { ENCRYPTION_KEY_ENV, formatVaultKey, generateVaultKey } from './vault-key';
import { rotateVaultKey, vaultKeyIdsInUse } from './vault-rotation';
import { createWorkspace, membershipOf, scopeOf } from './workspaces';

const savedHome = process.env.BATON_HOME;
const savedKey = process.env[ENCRYPTION_KEY_ENV];
let home: string;

/** The db/ modules that seal values with the vault; each one's collection is in vault-rotation.ts's SEALED list. */
const ROTATED_MODULES = ['browser-sessions.ts', 'browser-takeovers.ts', 'credentials.ts', 'publisher-keys.ts'];

function openTask(workspaceId: string): TakeoverTask {
  const now = new Date();
  return {
    id: newTakeoverId(),
    workspaceId,
    workflowId: 'wf_rotation',
    workflowName: 'Rotation',
    runId: `run_${randomUUID()}`,
    nodeId: 'browse',
    nodeName: 'Browse',
    step: 'Step 2 (click text=Verify)',
    reason: 'A CAPTCHA',
    url: 'http://127.0.0.1/login',
    eligible: ['usr_rotation'],
    from: ['role owner'],
    status: 'open',
    attempt: 1,
    createdAt: now.toISOString(),
    deadlineAt: new Date(now.getTime() + 30 * 60_000).toISOString(),
  };
}

/** Every stored document of the test database, as extended JSON. */
async function storedDocuments(): Promise<Array<{ collection: string; json: string }>> {
  const db = mongoose.connection.db!;
  const out: Array<{ collection: string; json: string }> = [];
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find({}).toArray()) {
      out.push({ collection: name, json: mongoose.mongo.BSON.EJSON.stringify(doc) });
    }
  }
  return out;
}

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'baton-vault-rotation-'));
  process.env.BATON_HOME = home;
  await connectDb(testDatabaseUri('baton_test_vault_rotation'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
});

afterAll(async () => {
  await disconnectDb();
  rmSync(home, { recursive: true, force: true });
  process.env.BATON_HOME = savedHome;
  if (savedKey === undefined) delete process.env[ENCRYPTION_KEY_ENV];
  else process.env[ENCRYPTION_KEY_ENV] = savedKey;
});

test('every sealed value is re-wrapped and still opens; an open takeover task still hands over its relay', async () => {
  const oldKey = generateVaultKey();
  const newKey = generateVaultKey();
  process.env[ENCRYPTION_KEY_ENV] = formatVaultKey(oldKey.key);
  const ws = await createWorkspace({ name: 'Rotation', ownerId: 'usr_rotation' });
  const scope = scopeOf((await membershipOf(ws.id, 'usr_rotation'))!);
  const secret = `canary-${randomUUID()}`;
  const credential = await createCredential(scope, {
    name: 'Rotated',
    type: 'bearer-token',
    values: { token: secret },
  });
  const cookie = `cookie-${randomUUID()}`;
  await saveBrowserSession(
    ws.id,
    'crm login',
    {
      cookies: [
        {
          name: 'sid',
          value: cookie,
          domain: 'a.test',
          path: '/',
          expires: -1,
          httpOnly: true,
          secure: false,
          sameSite: 'Lax',
        },
      ],
      origins: [],
    },
    { workflowId: 'wf_rotation', runId: 'run_rotation', nodeId: 'browse' },
  );
  const signingKey = await activeKey(ws.id);
  const task = openTask(ws.id);
  const relay = { url: 'http://127.0.0.1:45678', token: `relay-${randomUUID()}` };
  await openTakeover({ task, stepKey: `${task.runId}:browse:0`, relay });
  const closed = openTask(ws.id);
  await openTakeover({ task: closed, stepKey: `${closed.runId}:browse:0`, relay: { ...relay, token: 'closed' } });
  await closeTakeover(closed.id, { status: 'done' });
  expect(await vaultKeyIdsInUse()).toEqual({ [oldKey.id]: 5 });

  const summary = await rotateVaultKey(oldKey, newKey);
  expect(summary).toEqual({
    fromKeyId: oldKey.id,
    toKeyId: newKey.id,
    rotated: 5,
    alreadyCurrent: 0,
    otherKeys: {},
    failed: [],
  });
  expect(await vaultKeyIdsInUse()).toEqual({ [newKey.id]: 5 });
  const naming = (await storedDocuments()).filter((d) => d.json.includes(oldKey.id)).map((d) => d.collection);
  expect(naming).toEqual([]);

  process.env[ENCRYPTION_KEY_ENV] = formatVaultKey(newKey.key);
  expect((await decryptCredential(ws.id, credential.id)).values.token).toBe(secret);
  expect((await loadBrowserSession(ws.id, 'crm login'))?.cookies[0].value).toBe(cookie);
  const signed = await signPayload(ws.id, Buffer.from('after rotation'));
  expect(signed.keyId).toBe(signingKey.keyId);
  expect(verifyPayload(signingKey.publicKeyPem, Buffer.from('after rotation'), signed.signature)).toBe(true);
  // The web server's relay reads the task's address and token this way when a person opens the task.
  expect(await takeoverRelay(task.id)).toEqual(relay);

  // Under the old key the re-wrapped token no longer opens: the rotation really moved it.
  process.env[ENCRYPTION_KEY_ENV] = formatVaultKey(oldKey.key);
  await expect(takeoverRelay(task.id)).rejects.toThrow(`wrapped by vault key ${newKey.id}, not by ${oldKey.id}`);
  expect(await rotateVaultKey(oldKey, newKey)).toMatchObject({ rotated: 0, alreadyCurrent: 5, failed: [] });
});

test('a takeover token rewritten after rotation read it is not overwritten with the stale envelope', async () => {
  const oldKey = generateVaultKey();
  const newKey = generateVaultKey();
  process.env[ENCRYPTION_KEY_ENV] = formatVaultKey(oldKey.key);
  const task = openTask('ws_rotation_race');
  await openTakeover({ task, stepKey: `${task.runId}:browse:0`, relay: { url: 'http://127.0.0.1:1', token: 'first' } });
  const tasks = mongoose.connection.db!.collection<{ _id: string; relayToken: string }>('browser_takeovers');
  const before = (await tasks.findOne({ _id: task.id }))!.relayToken;
  const read = (await sealedRelayToken(task.id))!;
  // Something else rewrote the token after rotation read it: the stale write must not land.
  const rewritten = before.replace('"v":1', '"v": 1');
  await tasks.updateOne({ _id: task.id }, { $set: { relayToken: rewritten } });
  expect(await replaceSealedRelayToken(read, read.sealed)).toBe(false);
  expect((await tasks.findOne({ _id: task.id }))!.relayToken).toBe(rewritten);
  await tasks.updateOne({ _id: task.id }, { $set: { relayToken: before } });
  expect(await rotateVaultKey(oldKey, newKey)).toMatchObject({ failed: [] });
  process.env[ENCRYPTION_KEY_ENV] = formatVaultKey(newKey.key);
  expect((await takeoverRelay(task.id))?.token).toBe('first');
});

test('every db/ module that seals values with the vault is one vault rotation re-wraps', () => {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const sealing = readdirSync(dir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && file !== 'vault-crypto.ts')
    .filter((file) => /\bsealSecrets\(/.test(readFileSync(path.join(dir, file), 'utf8')))
    .sort();
  // A new one: add its collection to SEALED in db/vault-rotation.ts (with its binding), then to this list.
  expect(sealing).toEqual(ROTATED_MODULES);
});
