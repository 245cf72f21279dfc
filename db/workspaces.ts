// Workspaces, their members (a role each) and their named groups (docs/decisions/036-workspaces.md).
// A membership's `_id` is `<workspaceId>:<userId>` and a group's is `<workspaceId>:<slug>`: the checks every request
// makes are reads by `_id`, which FerretDB answers from its primary key (decisions 015, 031).
import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { ROLES, type Role } from '../contracts/permissions';
import { isDuplicateKey, upsertById } from './duplicate-key';

export interface Workspace {
  id: string;
  name: string;
  createdAt: Date;
}

export interface Membership {
  workspaceId: string;
  userId: string;
  role: Role;
  createdAt: Date;
}

export interface Group {
  workspaceId: string;
  /** Stable within the workspace; what approvals and notifications target. */
  slug: string;
  name: string;
  userIds: string[];
}

declare const checked: unique symbol;
/**
 * The workspace a caller acts in, made only by `scopeOf` from a membership the caller holds: scoped store
 * functions take it instead of a bare id, so an unchecked workspace id cannot reach a query.
 */
export type WorkspaceScope = Readonly<{ workspaceId: string; userId: string; role: Role }> & {
  readonly [checked]: true;
};

export function scopeOf(membership: Membership): WorkspaceScope {
  return Object.freeze({
    workspaceId: membership.workspaceId,
    userId: membership.userId,
    role: membership.role,
  }) as WorkspaceScope;
}

/** For code that acts for the system inside one workspace (migrations, the worker writing a run's records). */
export function systemScope(workspaceId: string): WorkspaceScope {
  return Object.freeze({ workspaceId, userId: 'system', role: 'owner' as Role }) as WorkspaceScope;
}

interface WorkspaceDoc {
  _id: string;
  name: string;
  createdAt: Date;
}

interface MembershipDoc {
  _id: string;
  workspaceId: string;
  userId: string;
  role: Role;
  createdAt: Date;
}

interface GroupDoc {
  _id: string;
  workspaceId: string;
  slug: string;
  name: string;
  userIds: string[];
}

// Looked up first because dev mode loads this module twice (tsx for server.ts, Vite SSR for routes).
const WorkspaceModel =
  (mongoose.models.Workspace as mongoose.Model<WorkspaceDoc>) ??
  mongoose.model<WorkspaceDoc>(
    'Workspace',
    new Schema<WorkspaceDoc>(
      { _id: String, name: { type: String, required: true }, createdAt: { type: Date, required: true } },
      { collection: 'workspaces', versionKey: false },
    ),
  );

const MembershipModel =
  (mongoose.models.Membership as mongoose.Model<MembershipDoc>) ??
  mongoose.model<MembershipDoc>(
    'Membership',
    new Schema<MembershipDoc>(
      {
        _id: String,
        workspaceId: { type: String, required: true, index: true },
        userId: { type: String, required: true, index: true },
        role: { type: String, required: true, enum: ROLES },
        createdAt: { type: Date, required: true },
      },
      { collection: 'memberships', versionKey: false },
    ),
  );

const GroupModel =
  (mongoose.models.Group as mongoose.Model<GroupDoc>) ??
  mongoose.model<GroupDoc>(
    'Group',
    new Schema<GroupDoc>(
      {
        _id: String,
        workspaceId: { type: String, required: true, index: true },
        slug: { type: String, required: true },
        name: { type: String, required: true },
        userIds: { type: [String], default: [] },
      },
      { collection: 'groups', versionKey: false },
    ),
  );

const membershipKey = (workspaceId: string, userId: string) => `${workspaceId}:${userId}`;
const groupKey = (workspaceId: string, slug: string) => `${workspaceId}:${slug}`;

const toWorkspace = (doc: WorkspaceDoc): Workspace => ({ id: doc._id, name: doc.name, createdAt: doc.createdAt });
const toMembership = (doc: MembershipDoc): Membership => ({
  workspaceId: doc.workspaceId,
  userId: doc.userId,
  role: doc.role,
  createdAt: doc.createdAt,
});
const toGroup = (doc: GroupDoc): Group => ({
  workspaceId: doc.workspaceId,
  slug: doc.slug,
  name: doc.name,
  userIds: doc.userIds ?? [],
});

/** Creates a workspace with `ownerId` as its owner. */
export async function createWorkspace(input: { name: string; ownerId: string; id?: string }): Promise<Workspace> {
  const now = new Date();
  const doc = { _id: input.id ?? `ws_${randomUUID()}`, name: input.name.trim(), createdAt: now };
  await WorkspaceModel.collection.insertOne(doc as never);
  await addMember(doc._id, input.ownerId, 'owner');
  return toWorkspace(doc);
}

/**
 * A workspace with a fixed id and no members, made once (the built-in "Baton" publisher of the official marketplace
 * listings): two processes starting at once make one, the loser's insert is a duplicate key.
 */
export async function ensureMemberlessWorkspace(id: string, name: string): Promise<Workspace> {
  try {
    await WorkspaceModel.collection.insertOne({ _id: id, name, createdAt: new Date() } as never);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  return (await getWorkspace(id))!;
}

export async function getWorkspace(id: string): Promise<Workspace | undefined> {
  const doc = await WorkspaceModel.findOne({ _id: id }).lean();
  return doc ? toWorkspace(doc) : undefined;
}

export async function renameWorkspace(scope: WorkspaceScope, name: string): Promise<void> {
  await WorkspaceModel.updateOne({ _id: scope.workspaceId }, { $set: { name: name.trim() } });
}

/** The caller's membership of a workspace, read by `_id`; undefined when they are not a member. */
export async function membershipOf(workspaceId: string, userId: string): Promise<Membership | undefined> {
  if (typeof workspaceId !== 'string' || workspaceId.length > 200) return undefined;
  const doc = await MembershipModel.findOne({ _id: membershipKey(workspaceId, userId) }).lean();
  return doc ? toMembership(doc) : undefined;
}

/** The workspaces a user belongs to, with their role in each, by name. */
export async function workspacesOf(userId: string): Promise<Array<Workspace & { role: Role }>> {
  const memberships = await MembershipModel.find({ userId }).lean();
  const workspaces = await Promise.all(memberships.map((m) => getWorkspace(m.workspaceId)));
  return memberships
    .map((m, i) => (workspaces[i] ? { ...workspaces[i]!, role: m.role } : undefined))
    .filter((w): w is Workspace & { role: Role } => w !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Adds a member, or changes the role of one. */
export async function addMember(workspaceId: string, userId: string, role: Role): Promise<Membership> {
  const doc: MembershipDoc = {
    _id: membershipKey(workspaceId, userId),
    workspaceId,
    userId,
    role,
    createdAt: new Date(),
  };
  await upsertById(() =>
    MembershipModel.updateOne(
      { _id: doc._id },
      { $set: { role }, $setOnInsert: { workspaceId, userId, createdAt: doc.createdAt } },
      { upsert: true },
    ),
  );
  return toMembership(doc);
}

export async function listMembers(scope: WorkspaceScope): Promise<Membership[]> {
  const docs = await MembershipModel.find({ workspaceId: scope.workspaceId }).lean();
  return docs.map(toMembership).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** Removes a member; the last owner cannot be removed or demoted (the caller checks demotion with this count). */
export async function removeMember(scope: WorkspaceScope, userId: string): Promise<boolean> {
  const result = await MembershipModel.deleteOne({ _id: membershipKey(scope.workspaceId, userId) });
  await GroupModel.updateMany({ workspaceId: scope.workspaceId }, { $pull: { userIds: userId } });
  return result.deletedCount === 1;
}

export async function countOwners(scope: WorkspaceScope): Promise<number> {
  return MembershipModel.countDocuments({ workspaceId: scope.workspaceId, role: 'owner' });
}

export async function saveGroup(scope: WorkspaceScope, group: Omit<Group, 'workspaceId'>): Promise<Group> {
  const doc: GroupDoc = { _id: groupKey(scope.workspaceId, group.slug), workspaceId: scope.workspaceId, ...group };
  await GroupModel.replaceOne({ _id: doc._id }, doc, { upsert: true });
  return toGroup(doc);
}

export async function listGroups(scope: WorkspaceScope): Promise<Group[]> {
  const docs = await GroupModel.find({ workspaceId: scope.workspaceId }).lean();
  return docs.map(toGroup).sort((a, b) => a.name.localeCompare(b.name));
}

export async function getGroup(scope: WorkspaceScope, slug: string): Promise<Group | undefined> {
  const doc = await GroupModel.findOne({ _id: groupKey(scope.workspaceId, slug) }).lean();
  return doc ? toGroup(doc) : undefined;
}

export async function deleteGroup(scope: WorkspaceScope, slug: string): Promise<boolean> {
  return (await GroupModel.deleteOne({ _id: groupKey(scope.workspaceId, slug) })).deletedCount === 1;
}

/** Adds a user to a group of the scope's workspace (once); false when the group does not exist there. */
export async function addGroupMember(scope: WorkspaceScope, slug: string, userId: string): Promise<boolean> {
  const result = await GroupModel.updateOne(
    { _id: groupKey(scope.workspaceId, slug) },
    { $addToSet: { userIds: userId } },
  );
  return result.matchedCount === 1;
}

/** Takes a user out of a group of the scope's workspace; false when the group does not exist there. */
export async function removeGroupMember(scope: WorkspaceScope, slug: string, userId: string): Promise<boolean> {
  const result = await GroupModel.updateOne({ _id: groupKey(scope.workspaceId, slug) }, { $pull: { userIds: userId } });
  return result.matchedCount === 1;
}

/** The collections whose documents belong to one workspace, through a `workspaceId` field. */
export const WORKSPACE_COLLECTIONS = ['workflows', 'workflow_versions', 'runs'] as const;

export const DEFAULT_WORKSPACE_NAME = 'Default workspace';

/**
 * Upgrades a single-owner install in place: when documents without a workspace exist, they move into a
 * default workspace that the instance owner owns (other existing users join it as editors). Idempotent, and
 * safe to run from every process at start: the workspace's `_id` is fixed, so two processes create one.
 */
export async function migrateToWorkspaces(instanceOwnerId: string | undefined, otherUserIds: string[] = []) {
  const db = mongoose.connection.db;
  if (!db || !instanceOwnerId) return undefined;
  const orphans = await Promise.all(
    WORKSPACE_COLLECTIONS.map((name) => db.collection(name).countDocuments({ workspaceId: { $exists: false } })),
  );
  const existing = await MembershipModel.findOne({ userId: instanceOwnerId }).lean();
  if (orphans.every((n) => n === 0) && existing) return undefined;
  const id = 'ws_default';
  try {
    await WorkspaceModel.collection.insertOne({
      _id: id,
      name: DEFAULT_WORKSPACE_NAME,
      createdAt: new Date(),
    } as never);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  if (!(await membershipOf(id, instanceOwnerId))) await addMember(id, instanceOwnerId, 'owner');
  for (const userId of otherUserIds) if (!(await membershipOf(id, userId))) await addMember(id, userId, 'editor');
  const moved: Record<string, number> = {};
  for (const name of WORKSPACE_COLLECTIONS) {
    const result = await db
      .collection(name)
      .updateMany({ workspaceId: { $exists: false } }, { $set: { workspaceId: id } });
    moved[name] = result.modifiedCount;
  }
  return { workspaceId: id, moved };
}
