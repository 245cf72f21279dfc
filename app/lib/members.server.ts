// Managing who is in a workspace: the member list, role changes, removal and invitations. The JSON API and the
// Members page both call these, so each rule (assignable roles, the last owner, nobody changes their own role) and
// each audit entry lives once. Refusals are thrown as JSON error responses (http.server.ts's shape).
import { z } from 'zod';
import { assignableRoles, ROLES, type Role } from '../../contracts/permissions';
import { recordAudit } from '../../db/audit';
import { createInvite, DEFAULT_INVITE_DAYS, getInvite, listPendingInvites, revokeInvite } from '../../db/invites';
import { getUserByEmail, getUserById } from '../../db/users';
import { countOwners, listMembers, membershipOf, removeMember, addMember } from '../../db/workspaces';
import type { Caller } from './caller.server';
import { apiError } from './http.server';

export const roleSchema = z.object({ role: z.enum(ROLES) });

export const inviteSchema = z.object({
  email: z.string().trim().toLowerCase().email('must be an email address').max(200),
  role: z.enum(ROLES),
  expiresInDays: z.coerce.number().int().min(1).max(90).default(DEFAULT_INVITE_DAYS),
});

export interface MemberView {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: string;
}

/** Who did it and from where, for the audit entry. */
export interface Acting {
  caller: Caller;
  ip: string;
}

const actorOf = ({ caller }: Acting) => ({ id: caller.user.id, name: caller.user.name, via: caller.via });

export async function memberList(caller: Caller): Promise<MemberView[]> {
  const members = await listMembers(caller.scope);
  const users = await Promise.all(members.map((m) => getUserById(m.userId)));
  return members.flatMap((m, i) => {
    const user = users[i];
    return user
      ? [{ userId: m.userId, name: user.name, email: user.email, role: m.role, joinedAt: m.createdAt.toISOString() }]
      : [];
  });
}

/** The member, checked to be one the caller may manage: 404 when not in the workspace, 403 for an owner and an admin. */
async function manageableMember(acting: Acting, userId: string) {
  const member = await membershipOf(acting.caller.scope.workspaceId, userId);
  if (!member) throw apiError(404, `No member ${userId} in this workspace.`);
  if (!assignableRoles(acting.caller.scope.role).includes(member.role))
    throw apiError(403, `Only an owner can change or remove an owner; you are ${acting.caller.scope.role}.`);
  return member;
}

export async function changeRole(acting: Acting, userId: string, role: Role): Promise<MemberView> {
  const { caller } = acting;
  if (userId === caller.user.id)
    throw apiError(403, 'You cannot change your own role; another owner or admin of this workspace can.');
  const member = await manageableMember(acting, userId);
  if (!assignableRoles(caller.scope.role).includes(role))
    throw apiError(403, `role: a ${caller.scope.role} cannot make someone ${role}; only an owner can.`);
  if (member.role === 'owner' && role !== 'owner' && (await countOwners(caller.scope)) <= 1)
    throw apiError(409, 'This is the last owner of the workspace; make someone else owner first.');
  if (member.role !== role) {
    await addMember(caller.scope.workspaceId, userId, role);
    const user = await getUserById(userId);
    await recordAudit({
      workspaceId: caller.scope.workspaceId,
      actor: actorOf(acting),
      action: 'member.role-change',
      target: { kind: 'user', id: userId, name: user?.name },
      ip: acting.ip,
      change: { from: member.role, to: role },
    });
  }
  return (await memberList(caller)).find((m) => m.userId === userId)!;
}

/** Removes a member (or, with the caller's own id, leaves the workspace); the last owner stays. */
export async function removeFromWorkspace(acting: Acting, userId: string): Promise<void> {
  const { caller } = acting;
  const member =
    userId === caller.user.id
      ? await membershipOf(caller.scope.workspaceId, userId)
      : await manageableMember(acting, userId);
  if (!member) throw apiError(404, `No member ${userId} in this workspace.`);
  if (member.role === 'owner' && (await countOwners(caller.scope)) <= 1)
    throw apiError(409, 'This is the last owner of the workspace; make someone else owner before removing them.');
  const user = await getUserById(userId);
  if (!(await removeMember(caller.scope, userId))) throw apiError(404, `No member ${userId} in this workspace.`);
  await recordAudit({
    workspaceId: caller.scope.workspaceId,
    actor: actorOf(acting),
    action: 'member.remove',
    target: { kind: 'user', id: userId, name: user?.name },
    ip: acting.ip,
    change: { role: member.role },
  });
}

export interface InviteView {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
}

const inviteView = (invite: {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
}): InviteView => ({
  id: invite.id,
  email: invite.email,
  role: invite.role,
  createdAt: invite.createdAt.toISOString(),
  expiresAt: invite.expiresAt.toISOString(),
});

export async function pendingInvites(caller: Caller): Promise<InviteView[]> {
  return (await listPendingInvites(caller.scope)).map(inviteView);
}

/** Where invite links point: BATON_PUBLIC_URL, else the origin the admin's request came to. */
function linkBase(request: Request): string {
  return process.env.BATON_PUBLIC_URL?.trim().replace(/\/+$/, '') || new URL(request.url).origin;
}

/** Creates an invite; the answer holds the link, the only time its token is shown. */
export async function inviteMember(
  acting: Acting,
  request: Request,
  input: z.output<typeof inviteSchema>,
): Promise<{ invite: InviteView; link: string }> {
  const { caller } = acting;
  if (!assignableRoles(caller.scope.role).includes(input.role))
    throw apiError(403, `role: a ${caller.scope.role} cannot invite someone as ${input.role}.`);
  const existing = await getUserByEmail(input.email);
  if (existing && (await membershipOf(caller.scope.workspaceId, existing.id)))
    throw apiError(409, `email: ${input.email} is already a member of this workspace.`);
  const { invite, token } = await createInvite(caller.scope, input);
  await recordAudit({
    workspaceId: caller.scope.workspaceId,
    actor: actorOf(acting),
    action: 'member.invite',
    target: { kind: 'invite', id: invite.id, name: invite.email },
    ip: acting.ip,
    change: { email: invite.email, role: invite.role, expiresAt: invite.expiresAt.toISOString() },
  });
  return { invite: inviteView(invite), link: `${linkBase(request)}/invite/${token}` };
}

export async function cancelInvite(acting: Acting, id: string): Promise<void> {
  const invite = await getInvite(acting.caller.scope, id);
  if (!invite || !(await revokeInvite(acting.caller.scope, id)))
    throw apiError(404, `No pending invite ${id} in this workspace.`);
  await recordAudit({
    workspaceId: acting.caller.scope.workspaceId,
    actor: actorOf(acting),
    action: 'member.invite-revoke',
    target: { kind: 'invite', id, name: invite.email },
    ip: acting.ip,
    change: { role: invite.role },
  });
}
