// Invitations into a workspace (issue 8): a single-use link for one email and one role that expires. Only the
// token's sha256 is stored; the plaintext is in the link, shown once to the admin who made it.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { ROLES, type Role } from '../contracts/permissions';
import type { WorkspaceScope } from './workspaces';
import { isDuplicateKey } from './duplicate-key';

export const DEFAULT_INVITE_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Invite {
  id: string;
  workspaceId: string;
  email: string;
  role: Role;
  /** The user id of the member who created it. */
  invitedBy: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt?: Date;
  acceptedBy?: string;
  revokedAt?: Date;
}

export type InviteState = 'pending' | 'accepted' | 'expired' | 'revoked';

interface InviteDoc extends Omit<Invite, 'id'> {
  _id: string;
  tokenHash: string;
}

// Looked up first because dev mode loads this module twice (tsx for server.ts, Vite SSR for routes).
const InviteModel =
  (mongoose.models.Invite as mongoose.Model<InviteDoc>) ??
  mongoose.model<InviteDoc>(
    'Invite',
    new Schema<InviteDoc>(
      {
        _id: String,
        workspaceId: { type: String, required: true, index: true },
        tokenHash: { type: String, required: true, unique: true },
        email: { type: String, required: true },
        role: { type: String, required: true, enum: ROLES },
        invitedBy: { type: String, required: true },
        createdAt: { type: Date, required: true },
        expiresAt: { type: Date, required: true },
        acceptedAt: Date,
        acceptedBy: String,
        revokedAt: Date,
      },
      { collection: 'invites', versionKey: false },
    ),
  );

// Whoever first inserts an invite's claim (its `_id` is the invite's) accepts or revokes it: a second insert fails
// on the primary key. A conditional update would not do, because FerretDB does not apply it atomically.
interface InviteClaimDoc {
  _id: string;
  claimant: string;
  at: Date;
}

const InviteClaimModel =
  (mongoose.models.InviteClaim as mongoose.Model<InviteClaimDoc>) ??
  mongoose.model<InviteClaimDoc>(
    'InviteClaim',
    new Schema<InviteClaimDoc>(
      { _id: String, claimant: { type: String, required: true }, at: { type: Date, required: true } },
      { collection: 'invite_claims', versionKey: false },
    ),
  );

/** Whether this call took the invite's claim; false when someone accepted or revoked it first. */
async function takeClaim(id: string, claimant: string, at: Date): Promise<boolean> {
  try {
    await InviteClaimModel.collection.insertOne({ _id: id, claimant, at } as never);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

const TOKEN_PREFIX = 'inv_';
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const normalizeEmail = (email: string) => email.trim().toLowerCase();

function toInvite(doc: InviteDoc): Invite {
  const { _id, tokenHash: _hash, ...rest } = doc;
  return { id: _id, ...rest };
}

export function inviteState(invite: Invite, now = new Date()): InviteState {
  if (invite.revokedAt) return 'revoked';
  if (invite.acceptedAt) return 'accepted';
  return invite.expiresAt.getTime() <= now.getTime() ? 'expired' : 'pending';
}

/** Creates an invite and returns it with the token's plaintext, which is never stored or shown again. */
export async function createInvite(
  scope: WorkspaceScope,
  input: { email: string; role: Role; expiresInDays?: number },
): Promise<{ invite: Invite; token: string }> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const now = new Date();
  const doc: InviteDoc = {
    _id: `inv_${randomUUID()}`,
    workspaceId: scope.workspaceId,
    tokenHash: hashToken(token),
    email: normalizeEmail(input.email),
    role: input.role,
    invitedBy: scope.userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + (input.expiresInDays ?? DEFAULT_INVITE_DAYS) * DAY_MS),
  };
  await InviteModel.collection.insertOne(doc as never);
  return { invite: toInvite(doc), token };
}

/** Invites of the workspace that can still be accepted, newest first. */
export async function listPendingInvites(scope: WorkspaceScope): Promise<Invite[]> {
  const docs = await InviteModel.find({ workspaceId: scope.workspaceId }).lean();
  const now = new Date();
  return docs
    .map(toInvite)
    .filter((invite) => inviteState(invite, now) === 'pending')
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** An invite of the scope's workspace by id; another workspace's invite reads as missing. */
export async function getInvite(scope: WorkspaceScope, id: string): Promise<Invite | undefined> {
  if (typeof id !== 'string' || id.length > 200) return undefined;
  const doc = await InviteModel.findOne({ _id: id }).lean();
  return doc && doc.workspaceId === scope.workspaceId ? toInvite(doc) : undefined;
}

/** Revokes a pending invite; false when it is not the scope's, or was already accepted or revoked. */
export async function revokeInvite(scope: WorkspaceScope, id: string): Promise<boolean> {
  const invite = await getInvite(scope, id);
  const now = new Date();
  if (!invite || inviteState(invite, now) === 'accepted' || invite.revokedAt) return false;
  if (!(await takeClaim(id, `revoked:${scope.userId}`, now))) return false;
  await InviteModel.updateOne({ _id: id }, { $set: { revokedAt: now } });
  return true;
}

/** The invite a link's token names, in whatever state; undefined for a token that was never issued. */
export async function inviteByToken(token: string): Promise<Invite | undefined> {
  if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  const doc = await InviteModel.findOne({ tokenHash: hashToken(token) }).lean();
  return doc ? toInvite(doc) : undefined;
}

/**
 * Marks the invite accepted by `claimant` if it is still pending; of two acceptances of one link, even at the same
 * moment, one wins (see takeClaim). The claimant is the accepting user's id, or a marker for an account about to be
 * created (then `settleClaim` or `releaseInvite`). Returns the invite, or why it was not pending.
 */
export async function claimInvite(
  token: string,
  claimant: string,
): Promise<{ invite: Invite } | { refused: Exclude<InviteState, 'pending'> | 'unknown' }> {
  const now = new Date();
  const invite = await inviteByToken(token);
  if (!invite) return { refused: 'unknown' };
  const state = inviteState(invite, now);
  if (state !== 'pending') return { refused: state };
  if (!(await takeClaim(invite.id, claimant, now))) {
    const latest = await inviteByToken(token);
    return { refused: latest?.revokedAt ? 'revoked' : 'accepted' };
  }
  await InviteModel.updateOne({ _id: invite.id }, { $set: { acceptedAt: now, acceptedBy: claimant } });
  return { invite: { ...invite, acceptedAt: now, acceptedBy: claimant } };
}

/** Records the user whose new account a marker claim was for. */
export async function settleClaim(id: string, claimant: string, userId: string): Promise<void> {
  await InviteClaimModel.updateOne({ _id: id, claimant }, { $set: { claimant: userId } });
  await InviteModel.updateOne({ _id: id, acceptedBy: claimant }, { $set: { acceptedBy: userId } });
}

/** Puts a claimed invite back to pending, when creating the account it was claimed for failed. */
export async function releaseInvite(id: string, claimant: string): Promise<void> {
  const released = await InviteClaimModel.deleteOne({ _id: id, claimant });
  if (released.deletedCount === 1)
    await InviteModel.updateOne({ _id: id }, { $unset: { acceptedAt: '', acceptedBy: '' } });
}
