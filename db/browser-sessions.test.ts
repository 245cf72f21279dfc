// Saved browser sessions against the real FerretDB: the state is sealed at rest (a cookie value is in no stored
// document), another workspace sees nothing by the same name, expiry and the size cap, and a vault key rotation
// keeps sessions readable.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import type { BrowserStorageState } from '../nodes/define';
import { testDatabaseUri } from '../test/stack';
import {
  BrowserSessionError,
  deleteBrowserSession,
  deleteExpiredBrowserSessions,
  listBrowserSessions,
  loadBrowserSession,
  MAX_BROWSER_SESSION_BYTES,
  runBrowserSessions,
  saveBrowserSession,
} from './browser-sessions';
import { connectDb, disconnectDb } from './connection';
import { createWorkflow } from './workflows';
import { ENCRYPTION_KEY_ENV, formatVaultKey, generateVaultKey } from './vault-key';
import { rotateVaultKey, vaultKeyIdsInUse } from './vault-rotation';
import { systemScope } from './workspaces';

const savedHome = process.env.BATON_HOME;
const savedKey = process.env[ENCRYPTION_KEY_ENV];
let home: string;
const HR = systemScope('ws_sessions_hr');
const IT = systemScope('ws_sessions_it');
const saver = { workflowId: 'wf_saver', runId: 'run_saver', nodeId: 'browse' };

function stateWith(cookie: string, stored = 'local-canary'): BrowserStorageState {
  return {
    cookies: [
      {
        name: 'sid',
        value: cookie,
        domain: '127.0.0.1',
        path: '/',
        expires: -1,
        httpOnly: true,
        secure: false,
        sameSite: 'Lax',
      },
    ],
    origins: [{ origin: 'http://127.0.0.1:4100', localStorage: [{ name: 'token', value: stored }] }],
  };
}

async function storedDocuments(): Promise<string[]> {
  const docs = await mongoose.connection.db!.collection('browser_sessions').find({}).toArray();
  return docs.map((doc) => mongoose.mongo.BSON.EJSON.stringify(doc));
}

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'baton-browser-sessions-'));
  process.env.BATON_HOME = home;
  delete process.env[ENCRYPTION_KEY_ENV];
  await connectDb(testDatabaseUri('baton_test_browser_sessions'));
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

test('the state is sealed at rest, listed without it, and read back only in its own workspace', async () => {
  const cookie = `cookie-${randomUUID()}`;
  const local = `local-${randomUUID()}`;
  const view = await saveBrowserSession(HR.workspaceId, 'crm login', stateWith(cookie, local), saver);
  expect(view).toMatchObject({ name: 'crm login', cookies: 1, sites: ['127.0.0.1', '127.0.0.1:4100'], savedBy: saver });

  const stored = await storedDocuments();
  expect(stored).toHaveLength(1);
  expect(stored[0]).toContain('crm login');
  expect(stored[0]).not.toContain(cookie);
  expect(stored[0]).not.toContain(local);

  const listed = await listBrowserSessions(HR);
  expect(JSON.stringify(listed)).not.toContain(cookie);
  expect(listed.map((s) => s.name)).toEqual(['crm login']);
  expect((await loadBrowserSession(HR.workspaceId, 'crm login'))?.cookies[0].value).toBe(cookie);

  expect(await loadBrowserSession(IT.workspaceId, 'crm login')).toBeUndefined();
  expect(await listBrowserSessions(IT)).toEqual([]);
  expect(await deleteBrowserSession(IT, 'crm login')).toBe(false);

  // A sealed state copied under another workspace's id does not open there.
  const sessions = mongoose.connection.db!.collection<{ _id: string; [field: string]: unknown }>('browser_sessions');
  const original = (await sessions.findOne({ name: 'crm login' }))!;
  await saveBrowserSession(IT.workspaceId, 'crm login', stateWith('it-cookie'), saver);
  await sessions.updateOne({ workspaceId: IT.workspaceId, name: 'crm login' }, { $set: { sealed: original.sealed } });
  await expect(loadBrowserSession(IT.workspaceId, 'crm login')).rejects.toThrow(/cannot be decrypted/);
  expect(await deleteBrowserSession(IT, 'crm login')).toBe(true);

  const again = await saveBrowserSession(HR.workspaceId, 'crm login', stateWith('second'), saver);
  expect(again.createdAt.getTime()).toBeLessThanOrEqual(again.updatedAt.getTime());
  expect(await storedDocuments()).toHaveLength(1);
  expect((await loadBrowserSession(HR.workspaceId, 'crm login'))?.cookies[0].value).toBe('second');
  expect(await deleteBrowserSession(HR, 'crm login')).toBe(true);
  expect(await loadBrowserSession(HR.workspaceId, 'crm login')).toBeUndefined();
});

test('bad names and states over 5 MB are refused with what to fix; nothing is written', async () => {
  for (const name of ['', 'a/b', 'x'.repeat(65), 'naïve']) {
    await expect(saveBrowserSession(HR.workspaceId, name, stateWith('c'), saver)).rejects.toThrow(
      /A session name must be 1 to 64 letters, digits, spaces, dots, dashes or underscores/,
    );
  }
  const huge = stateWith('c', 'x'.repeat(MAX_BROWSER_SESSION_BYTES));
  const err = await saveBrowserSession(HR.workspaceId, 'huge', huge, saver).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BrowserSessionError);
  expect((err as BrowserSessionError).message).toMatch(/^Browser session "huge" is 5\.0 MB; at most 5 MB can be saved/);
  expect(await listBrowserSessions(HR)).toEqual([]);
});

test('an expired session reads as missing, is not listed, and housekeeping deletes it', async () => {
  const past = new Date(Date.now() - 1_000);
  await saveBrowserSession(HR.workspaceId, 'old', stateWith('old'), saver, { expiresAt: past });
  await saveBrowserSession(HR.workspaceId, 'kept', stateWith('kept'), saver, {
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  expect((await listBrowserSessions(HR)).map((s) => s.name)).toEqual(['kept']);
  expect(await deleteExpiredBrowserSessions()).toBe(1);
  expect(await loadBrowserSession(HR.workspaceId, 'old')).toBeUndefined();
  expect((await loadBrowserSession(HR.workspaceId, 'kept'))?.cookies[0].value).toBe('kept');

  await saveBrowserSession(HR.workspaceId, 'old', stateWith('old'), saver, { expiresAt: past });
  expect(await loadBrowserSession(HR.workspaceId, 'old')).toBeUndefined();
  expect((await storedDocuments()).some((doc) => doc.includes('"old"'))).toBe(false);
  await deleteBrowserSession(HR, 'kept');
});

test('a run reaches only its workflow’s workspace, and store errors name the Session field', async () => {
  const workflow = await createWorkflow(HR, { name: 'Sessions', ownerId: 'owner' });
  const run = runBrowserSessions({ workflowId: workflow.id, runId: 'run_1', nodeId: 'browse' });
  await run.save('shared', stateWith('from-run'));
  expect((await loadBrowserSession(HR.workspaceId, 'shared'))?.cookies[0].value).toBe('from-run');
  expect((await listBrowserSessions(HR))[0].savedBy).toEqual({
    workflowId: workflow.id,
    runId: 'run_1',
    nodeId: 'browse',
  });
  expect(await loadBrowserSession(IT.workspaceId, 'shared')).toBeUndefined();
  await expect(run.save('a/b', stateWith('x'))).rejects.toMatchObject({
    code: 'browser-session',
    retryable: false,
    message: expect.stringMatching(/^Session: A session name must be/),
  });
  await deleteBrowserSession(HR, 'shared');
});

test('rotating the vault key re-wraps sessions too, and they still open', async () => {
  const oldKey = generateVaultKey();
  const newKey = generateVaultKey();
  process.env[ENCRYPTION_KEY_ENV] = formatVaultKey(oldKey.key);
  await saveBrowserSession(HR.workspaceId, 'rotated', stateWith('rotated-cookie'), saver);
  expect((await vaultKeyIdsInUse())[oldKey.id]).toBe(1);

  const summary = await rotateVaultKey(oldKey, newKey);
  expect(summary).toMatchObject({ rotated: 1, failed: [] });
  expect(await vaultKeyIdsInUse()).toEqual({ [newKey.id]: 1 });
  process.env[ENCRYPTION_KEY_ENV] = formatVaultKey(newKey.key);
  expect((await loadBrowserSession(HR.workspaceId, 'rotated'))?.cookies[0].value).toBe('rotated-cookie');
  delete process.env[ENCRYPTION_KEY_ENV];
});
