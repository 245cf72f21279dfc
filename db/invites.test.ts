// Invites against the real FerretDB: the token is stored only as a hash, a link works once even when two
// acceptances race, and expired, revoked and other workspaces' invites are refused or read as missing.
import mongoose from 'mongoose';
import { testDatabaseUri } from '../test/stack';
import { connectDb, disconnectDb } from './connection';
import {
  claimInvite,
  createInvite,
  getInvite,
  inviteByToken,
  listPendingInvites,
  releaseInvite,
  revokeInvite,
  settleClaim,
} from './invites';
import { createWorkspace, membershipOf, scopeOf } from './workspaces';

let scope: ReturnType<typeof scopeOf>;
let otherScope: ReturnType<typeof scopeOf>;

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_invites'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
  const hr = await createWorkspace({ name: 'HR', ownerId: 'alice' });
  const it = await createWorkspace({ name: 'IT', ownerId: 'bob' });
  scope = scopeOf((await membershipOf(hr.id, 'alice'))!);
  otherScope = scopeOf((await membershipOf(it.id, 'bob'))!);
});

afterAll(async () => {
  await disconnectDb();
});

test('the token is stored as a hash only, and names its invite', async () => {
  const { invite, token } = await createInvite(scope, { email: ' New.Person@Example.com ', role: 'editor' });
  expect(invite).toMatchObject({ email: 'new.person@example.com', role: 'editor', invitedBy: 'alice' });
  expect(invite.expiresAt.getTime() - invite.createdAt.getTime()).toBe(7 * 24 * 60 * 60 * 1000);
  const stored = await mongoose.connection.db!.collection('invites').findOne({ _id: invite.id as never });
  expect(JSON.stringify(stored)).not.toContain(token.slice(4));
  expect((await inviteByToken(token))?.id).toBe(invite.id);
  expect(await inviteByToken(`${token}x`)).toBeUndefined();
  expect(await inviteByToken('not-an-invite')).toBeUndefined();
});

test('two acceptances of one link race: exactly one wins, the other learns it was used', async () => {
  const { invite, token } = await createInvite(scope, { email: 'race@example.com', role: 'viewer' });
  const results = await Promise.all([claimInvite(token, 'u1'), claimInvite(token, 'u2'), claimInvite(token, 'u3')]);
  const won = results.filter((r) => 'invite' in r);
  expect(won).toHaveLength(1);
  expect(results.filter((r) => 'refused' in r).map((r) => (r as { refused: string }).refused)).toEqual([
    'accepted',
    'accepted',
  ]);
  expect((await listPendingInvites(scope)).map((i) => i.id)).not.toContain(invite.id);
});

test('a released claim makes the link usable again; a settled one records the new user', async () => {
  const { invite, token } = await createInvite(scope, { email: 'retry@example.com', role: 'operator' });
  expect('invite' in (await claimInvite(token, 'claim:1'))).toBe(true);
  await releaseInvite(invite.id, 'claim:1');
  expect('invite' in (await claimInvite(token, 'claim:2'))).toBe(true);
  await settleClaim(invite.id, 'claim:2', 'carol');
  expect((await getInvite(scope, invite.id))?.acceptedBy).toBe('carol');
});

test('expired and revoked invites are refused; revoking is scoped to the workspace', async () => {
  const expired = await createInvite(scope, { email: 'late@example.com', role: 'viewer' });
  await mongoose.connection
    .db!.collection('invites')
    .updateOne({ _id: expired.invite.id as never }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
  expect(await claimInvite(expired.token, 'u')).toEqual({ refused: 'expired' });

  const revoked = await createInvite(scope, { email: 'gone@example.com', role: 'viewer' });
  expect(await revokeInvite(otherScope, revoked.invite.id)).toBe(false);
  expect(await getInvite(otherScope, revoked.invite.id)).toBeUndefined();
  expect(await revokeInvite(scope, revoked.invite.id)).toBe(true);
  expect(await revokeInvite(scope, revoked.invite.id)).toBe(false);
  expect(await claimInvite(revoked.token, 'u')).toEqual({ refused: 'revoked' });
  expect(await claimInvite('inv_never-issued', 'u')).toEqual({ refused: 'unknown' });

  const pending = (await listPendingInvites(scope)).map((i) => i.email);
  expect(pending).not.toContain('late@example.com');
  expect(pending).not.toContain('gone@example.com');
  expect(await listPendingInvites(otherScope)).toEqual([]);
});
