// Server-side sessions against the real FerretDB: the store holds only the secret's hash, sessions expire when idle
// and at their absolute limit (shortened through the environment), and revocation ends exactly the chosen ones.
import mongoose from 'mongoose';
import { testDatabaseUri } from '../test/stack';
import { connectDb, disconnectDb } from './connection';
import {
  createSession,
  listSessions,
  revokeSession,
  revokeSessionsOf,
  sessionBySecret,
  sessionIdOf,
  sessionLimits,
} from './sessions';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const saved = { idle: process.env.BATON_SESSION_IDLE_MINUTES, max: process.env.BATON_SESSION_MAX_DAYS };

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_sessions'));
  await mongoose.connection.db!.dropDatabase();
});

afterEach(() => {
  process.env.BATON_SESSION_IDLE_MINUTES = saved.idle;
  process.env.BATON_SESSION_MAX_DAYS = saved.max;
  if (saved.idle === undefined) delete process.env.BATON_SESSION_IDLE_MINUTES;
  if (saved.max === undefined) delete process.env.BATON_SESSION_MAX_DAYS;
});

afterAll(async () => {
  await disconnectDb();
});

test('limits default to 12 hours idle and 14 days in all, and a bad setting names its variable', () => {
  expect(sessionLimits({})).toEqual({ idleMs: 12 * 3600_000, maxMs: 14 * 24 * 3600_000 });
  expect(() => sessionLimits({ BATON_SESSION_IDLE_MINUTES: 'soon' })).toThrow(
    'BATON_SESSION_IDLE_MINUTES must be a positive number',
  );
});

test('the store keys a session by the hash of its secret and never holds the secret', async () => {
  const { secret, session } = await createSession('user-a', { ip: '203.0.113.5', userAgent: 'Test/1.0' });
  expect(session.id).toBe(sessionIdOf(secret));
  const raw = await mongoose.connection.db!.collection('sessions').findOne({ _id: session.id as never });
  expect(JSON.stringify(raw)).not.toContain(secret);
  expect(await sessionBySecret(secret)).toMatchObject({ userId: 'user-a', ip: '203.0.113.5', userAgent: 'Test/1.0' });
  expect(await sessionBySecret(session.id)).toBeUndefined();
});

test('an idle session expires and is deleted; use within the idle limit keeps it alive', async () => {
  process.env.BATON_SESSION_IDLE_MINUTES = String(1.2 / 60); // 1.2 s
  const { secret: kept } = await createSession('user-idle');
  const { secret: idle } = await createSession('user-idle');
  for (let i = 0; i < 4; i++) {
    await sleep(500);
    expect(await sessionBySecret(kept)).toBeDefined();
  }
  expect(await sessionBySecret(idle)).toBeUndefined();
  expect((await listSessions('user-idle')).length).toBe(1);
});

test('a session in constant use still ends at its absolute limit', async () => {
  process.env.BATON_SESSION_MAX_DAYS = String(1.5 / 86400); // 1.5 s
  const { secret, session } = await createSession('user-max');
  expect(session.expiresAt.getTime() - session.createdAt.getTime()).toBe(1500);
  while (Date.now() < session.expiresAt.getTime()) {
    expect(await sessionBySecret(secret)).toBeDefined();
    await sleep(300);
  }
  expect(await sessionBySecret(secret)).toBeUndefined();
});

test('revoking ends one session, or all of a user but the one kept, and never another user’s', async () => {
  const one = await createSession('user-r');
  const two = await createSession('user-r');
  const three = await createSession('user-r');
  const other = await createSession('user-other');
  expect(await revokeSession('user-other', one.session.id)).toBe(false);
  expect(await revokeSession('user-r', one.session.id)).toBe(true);
  expect(await sessionBySecret(one.secret)).toBeUndefined();
  expect(await revokeSessionsOf('user-r', three.session.id)).toBe(1);
  expect(await sessionBySecret(two.secret)).toBeUndefined();
  expect(await sessionBySecret(three.secret)).toBeDefined();
  expect(await sessionBySecret(other.secret)).toBeDefined();
});
