// Workspaces against the real FerretDB: memberships read by `_id`, groups, and the in-place upgrade of a
// single-owner install into a default workspace.
import mongoose from 'mongoose';
import { allows, assignableRoles, ROLES, type Role } from '../contracts/permissions';
import { testDatabaseUri } from '../test/stack';
import { connectDb, disconnectDb } from './connection';
import {
  addMember,
  countOwners,
  createWorkspace,
  deleteGroup,
  listGroups,
  listMembers,
  membershipOf,
  migrateToWorkspaces,
  removeMember,
  saveGroup,
  scopeOf,
  workspacesOf,
} from './workspaces';

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_workspaces'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
});

afterAll(async () => {
  await disconnectDb();
});

test('a user belongs to several workspaces with a role in each; others are not members', async () => {
  const hr = await createWorkspace({ name: 'HR', ownerId: 'alice' });
  const it = await createWorkspace({ name: 'IT', ownerId: 'bob' });
  await addMember(it.id, 'alice', 'viewer');

  expect((await workspacesOf('alice')).map((w) => [w.name, w.role])).toEqual([
    ['HR', 'owner'],
    ['IT', 'viewer'],
  ]);
  expect(await membershipOf(hr.id, 'bob')).toBeUndefined();
  expect(await membershipOf(`${hr.id}:bob`, 'x')).toBeUndefined(); // ids with the separator find nothing
  expect(await membershipOf(hr.id, 'alice')).toMatchObject({ role: 'owner' });

  await addMember(it.id, 'alice', 'editor'); // a role change, not a second membership
  const itScope = scopeOf((await membershipOf(it.id, 'bob'))!);
  expect((await listMembers(itScope)).map((m) => [m.userId, m.role])).toEqual([
    ['bob', 'owner'],
    ['alice', 'editor'],
  ]);
  expect(await countOwners(itScope)).toBe(1);
});

test('groups are per workspace, and a removed member leaves its groups', async () => {
  const ws = await createWorkspace({ name: 'Groups', ownerId: 'carol' });
  const other = await createWorkspace({ name: 'Other', ownerId: 'dave' });
  await addMember(ws.id, 'erin', 'approver');
  const scope = scopeOf((await membershipOf(ws.id, 'carol'))!);
  const otherScope = scopeOf((await membershipOf(other.id, 'dave'))!);
  await saveGroup(scope, { slug: 'hr-directors', name: 'HR directors', userIds: ['carol', 'erin'] });
  await saveGroup(otherScope, { slug: 'hr-directors', name: 'Not the same group', userIds: ['dave'] });

  expect((await listGroups(scope)).map((g) => [g.name, g.userIds])).toEqual([['HR directors', ['carol', 'erin']]]);
  expect(await removeMember(scope, 'erin')).toBe(true);
  expect((await listGroups(scope))[0].userIds).toEqual(['carol']);
  expect((await listGroups(otherScope))[0].userIds).toEqual(['dave']);
  expect(await deleteGroup(scope, 'hr-directors')).toBe(true);
  expect(await listGroups(otherScope)).toHaveLength(1);
});

test('a single-owner install moves into a default workspace, once, whoever runs the upgrade', async () => {
  const db = mongoose.connection.db!;
  await db.collection('workflows').insertMany([{ name: 'old 1' }, { name: 'old 2' }]);
  await db.collection('runs').insertOne({ _id: 'run_old' as never, status: 'succeeded' });

  const [first, second] = await Promise.all([
    migrateToWorkspaces('owner-1', ['member-1']),
    migrateToWorkspaces('owner-1', ['member-1']),
  ]);
  const moved = [first, second].filter(Boolean);
  expect(moved.length).toBeGreaterThanOrEqual(1);
  expect(await db.collection('workflows').countDocuments({ workspaceId: 'ws_default' })).toBe(2);
  expect(await db.collection('runs').findOne({ _id: 'run_old' as never })).toMatchObject({ workspaceId: 'ws_default' });
  expect(await membershipOf('ws_default', 'owner-1')).toMatchObject({ role: 'owner' });
  expect(await membershipOf('ws_default', 'member-1')).toMatchObject({ role: 'editor' });
  expect(await db.collection('workspaces').countDocuments({ _id: 'ws_default' as never })).toBe(1);
  expect(await migrateToWorkspaces('owner-1')).toBeUndefined(); // nothing left to move
});

test('the role table: each role can do what it says and no more; token scopes only narrow', () => {
  const can = (role: Role) =>
    (['workspace.read', 'workflow.write', 'run.start', 'approval.decide', 'member.manage'] as const).filter((p) =>
      allows(role, p),
    );
  expect(Object.fromEntries(ROLES.map((role) => [role, can(role)]))).toEqual({
    owner: ['workspace.read', 'workflow.write', 'run.start', 'approval.decide', 'member.manage'],
    admin: ['workspace.read', 'workflow.write', 'run.start', 'approval.decide', 'member.manage'],
    editor: ['workspace.read', 'workflow.write', 'run.start', 'approval.decide'],
    operator: ['workspace.read', 'run.start', 'approval.decide'],
    approver: ['workspace.read', 'approval.decide'],
    viewer: ['workspace.read'],
  });
  expect(allows('owner', 'workflow.write', ['read'])).toBe(false);
  expect(allows('viewer', 'workflow.write', ['write'])).toBe(false); // a scope never adds to the role
  expect(allows('editor', 'run.start', ['read', 'run'])).toBe(true);
  expect(assignableRoles('admin')).not.toContain('owner');
  expect(assignableRoles('editor')).toEqual([]);
});

test('concurrent upserts of one new member all succeed and leave one membership', async () => {
  const ws = await createWorkspace({ name: 'Race', ownerId: 'race-owner' });
  for (let round = 0; round < 5; round++) {
    const userId = `racer-${round}`;
    await Promise.all(Array.from({ length: 8 }, () => addMember(ws.id, userId, 'editor')));
    expect(await membershipOf(ws.id, userId)).toMatchObject({ role: 'editor' });
  }
  expect(
    (await listMembers(scopeOf((await membershipOf(ws.id, 'race-owner'))!))).filter((m) =>
      m.userId.startsWith('racer-'),
    ),
  ).toHaveLength(5);
});
