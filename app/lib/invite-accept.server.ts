// Accepting an invite link: into a new account (name and password), or into the account of the signed-in user
// whose email it was sent to. The claim is one conditional update, so a link works once even when two tabs race.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Role } from '../../contracts/permissions';
import { recordAudit } from '../../db/audit';
import {
  claimInvite,
  inviteByToken,
  inviteState,
  releaseInvite,
  settleClaim,
  type Invite,
  type InviteState,
} from '../../db/invites';
import { createUser, EmailTakenError, getUserById, getUserByEmail, type User } from '../../db/users';
import { addMember, getWorkspace, membershipOf } from '../../db/workspaces';

export const newAccountSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name.').max(100),
  password: z.string().min(8, 'Use at least 8 characters.').max(200),
});

const PROBLEMS: Record<Exclude<InviteState, 'pending'> | 'unknown', string> = {
  unknown: 'This invite link is not valid. Check that you copied all of it, or ask for a new invite.',
  accepted: 'This invite link has already been used. Sign in, or ask a workspace admin for a new invite.',
  expired: 'This invite link has expired. Ask a workspace admin for a new invite.',
  revoked: 'This invite was withdrawn by a workspace admin. Ask them for a new invite if you still need access.',
};

export class InviteRefusal extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface InviteSummary {
  email: string;
  role: Role;
  workspaceName: string;
  invitedBy: string;
  expiresAt: string;
}

/** The pending invite a link names, with what the page shows; an InviteRefusal saying why it cannot be used. */
export async function pendingInvite(token: string): Promise<{ invite: Invite; summary: InviteSummary }> {
  const invite = await inviteByToken(token);
  if (!invite) throw new InviteRefusal(PROBLEMS.unknown, 404);
  const state = inviteState(invite);
  if (state !== 'pending') throw new InviteRefusal(PROBLEMS[state], 410);
  const [workspace, inviter] = await Promise.all([getWorkspace(invite.workspaceId), getUserById(invite.invitedBy)]);
  if (!workspace) throw new InviteRefusal(PROBLEMS.unknown, 404);
  return {
    invite,
    summary: {
      email: invite.email,
      role: invite.role,
      workspaceName: workspace.name,
      invitedBy: inviter?.name ?? 'A workspace admin',
      expiresAt: invite.expiresAt.toISOString(),
    },
  };
}

/** Whether an account with the invite's email exists (then its owner signs in to accept). */
export async function inviteeHasAccount(invite: Invite): Promise<boolean> {
  return (await getUserByEmail(invite.email)) !== undefined;
}

async function claimed(token: string, claimant: string): Promise<Invite> {
  const result = await claimInvite(token, claimant);
  if ('refused' in result) throw new InviteRefusal(PROBLEMS[result.refused], result.refused === 'unknown' ? 404 : 410);
  return result.invite;
}

async function join(invite: Invite, user: User, ip: string): Promise<void> {
  await addMember(invite.workspaceId, user.id, invite.role);
  await recordAudit({
    workspaceId: invite.workspaceId,
    actor: { id: user.id, name: user.name, via: 'session' },
    action: 'member.join',
    target: { kind: 'user', id: user.id, name: user.name },
    ip,
    change: { role: invite.role, inviteId: invite.id, invitedBy: invite.invitedBy },
  });
}

/** Creates the invitee's account from the invite and makes them a member; returns the new user. */
export async function acceptAsNewUser(
  token: string,
  input: z.output<typeof newAccountSchema>,
  ip: string,
): Promise<{ user: User; workspaceId: string }> {
  const marker = `claim:${randomUUID()}`;
  const invite = await claimed(token, marker);
  let user: User;
  try {
    user = await createUser({ email: invite.email, name: input.name, password: input.password });
  } catch (err) {
    await releaseInvite(invite.id, marker);
    if (err instanceof EmailTakenError)
      throw new InviteRefusal(`An account for ${invite.email} already exists; sign in to accept this invite.`, 409);
    throw err;
  }
  await settleClaim(invite.id, marker, user.id);
  await join(invite, user, ip);
  return { user, workspaceId: invite.workspaceId };
}

/** Makes the signed-in user a member, when the invite was sent to their email and they are not one already. */
export async function acceptAsUser(token: string, user: User, ip: string): Promise<{ workspaceId: string }> {
  const { invite } = await pendingInvite(token);
  if (invite.email !== user.email.toLowerCase())
    throw new InviteRefusal(
      `This invite is for ${invite.email}, and you are signed in as ${user.email}. Sign out, then open the link again.`,
      403,
    );
  if (await membershipOf(invite.workspaceId, user.id))
    throw new InviteRefusal('You are already a member of this workspace.', 409);
  await join(await claimed(token, user.id), user, ip);
  return { workspaceId: invite.workspaceId };
}
