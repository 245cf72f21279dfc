// API tokens against the real FerretDB: stored as a hash under a public id, expiry and revocation say which,
// last use is recorded at most once a minute, and tokens made before scopes are upgraded in place.
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { TOKEN_SCOPES } from '../contracts/permissions';
import { testDatabaseUri } from '../test/stack';
import { connectDb, disconnectDb } from './connection';
import { checkApiToken, createApiToken, listApiTokens, revokeApiToken } from './api-tokens';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_api_tokens'));
  await mongoose.connection.db!.dropDatabase();
});

afterAll(async () => {
  await disconnectDb();
});

test('a token made before scopes keeps working, with every scope and a 90-day expiry', async () => {
  const plaintext = 'baton_legacyLegacyLegacyLegacyLegacyLegacyLeg';
  const tokens = mongoose.connection.db!.collection('api_tokens');
  await tokens.createIndex({ tokenHash: 1 }, { unique: true });
  await tokens.insertOne({
    userId: 'old-user',
    name: 'old script',
    tokenHash: createHash('sha256').update(plaintext).digest('hex'),
    createdAt: new Date('2024-01-01'),
  });
  const check = await checkApiToken(plaintext);
  expect(check).toMatchObject({
    ok: true,
    token: { userId: 'old-user', name: 'old script', scopes: [...TOKEN_SCOPES] },
  });
  const days = ((check as { token: { expiresAt: Date } }).token.expiresAt.getTime() - Date.now()) / 86_400_000;
  expect(Math.round(days)).toBe(90);
  expect(await tokens.countDocuments({ tokenHash: { $exists: true } })).toBe(0);
  // Without the old unique index, several new tokens (none with a tokenHash) can be stored.
  await createApiToken({ userId: 'old-user', workspaceId: 'ws', name: 'a', scopes: ['read'] });
  await createApiToken({ userId: 'old-user', workspaceId: 'ws', name: 'b', scopes: ['read'] });
  expect((await listApiTokens('old-user')).map((t) => t.name).sort()).toEqual(['a', 'b', 'old script']);
});

test('the plaintext is stored nowhere; lists carry the public id, scopes, expiry and last use', async () => {
  const { token, apiToken } = await createApiToken({
    userId: 'u1',
    workspaceId: 'ws_1',
    name: 'deploys',
    scopes: ['run', 'read'],
  });
  expect(apiToken.id).toMatch(/^tok_/);
  expect(apiToken.scopes).toEqual(['read', 'run']);
  const raw = await mongoose.connection.db!.collection('api_tokens').find({ userId: 'u1' }).toArray();
  expect(JSON.stringify(raw)).not.toContain(token);
  expect((await listApiTokens('u1'))[0].lastUsedAt).toBeUndefined();
  expect(await checkApiToken(token)).toMatchObject({ ok: true, token: { workspaceId: 'ws_1' } });
  const firstUse = (await listApiTokens('u1'))[0].lastUsedAt!;
  expect(firstUse).toBeInstanceOf(Date);
  await checkApiToken(token);
  // A second use within the minute writes nothing.
  expect((await listApiTokens('u1'))[0].lastUsedAt).toEqual(firstUse);
});

test('expired and revoked tokens are refused with the reason; unknown ones are unknown', async () => {
  const { token: soon } = await createApiToken({
    userId: 'u2',
    workspaceId: 'ws_1',
    name: 'short',
    scopes: ['read'],
    expiresAt: new Date(Date.now() + 800),
  });
  expect((await checkApiToken(soon)).ok).toBe(true);
  await sleep(1000);
  expect(await checkApiToken(soon)).toMatchObject({ ok: false, reason: 'expired', token: { name: 'short' } });

  const { token, apiToken } = await createApiToken({ userId: 'u2', workspaceId: 'ws_1', name: 'r', scopes: ['read'] });
  expect(await revokeApiToken('someone-else', apiToken.id)).toBeUndefined();
  expect((await checkApiToken(token)).ok).toBe(true);
  const revoked = await revokeApiToken('u2', apiToken.id);
  expect(revoked?.revokedAt).toBeInstanceOf(Date);
  expect(await checkApiToken(token)).toMatchObject({ ok: false, reason: 'revoked' });
  expect(await checkApiToken('baton_nothing')).toEqual({ ok: false, reason: 'unknown' });
  expect(await checkApiToken('not-a-baton-token')).toEqual({ ok: false, reason: 'unknown' });
});
