// What an admin (member.manage) may do to a member's sign-in: end all their sessions, or issue a password reset
// link, and what the reset page does with that link. Users are global and may belong to several workspaces, so a
// reset link, which hands over the account, needs the issuer to manage the member in every workspace they are in.
import { assignableRoles, ROLE_PERMISSIONS } from '../../contracts/permissions';
import { recordAudit } from '../../db/audit';
import { consumePasswordReset, issuePasswordReset, RESET_LINK_MINUTES } from '../../db/password-resets';
import { revokeSessionsOf } from '../../db/sessions';
import { getUserById, setPassword, type User } from '../../db/users';
import { membershipOf, workspacesOf } from '../../db/workspaces';
import type { Acting } from './account.server';
import { apiError } from './http.server';

const actorOf = ({ caller }: Acting) => ({ id: caller.user.id, name: caller.user.name, via: caller.via });

/** The member, checked to be one the caller outranks: 404 when not in the workspace, 403 for an owner and an admin. */
async function manageableUser(acting: Acting, userId: string): Promise<User> {
  const { caller } = acting;
  const member = await membershipOf(caller.scope.workspaceId, userId);
  const user = member && (await getUserById(userId));
  if (!member || !user) throw apiError(404, `No member ${userId} in this workspace.`);
  if (!assignableRoles(caller.scope.role).includes(member.role))
    throw apiError(403, `Only an owner can do this to an owner; you are ${caller.scope.role}.`);
  return user;
}

/** Ends every session of a member of the caller's workspace; returns how many. */
export async function endMemberSessions(acting: Acting, userId: string): Promise<number> {
  const user = await manageableUser(acting, userId);
  const ended = await revokeSessionsOf(user.id);
  await recordAudit({
    workspaceId: acting.caller.scope.workspaceId,
    actor: actorOf(acting),
    action: 'session.revoke',
    target: { kind: 'user', id: user.id, name: user.name },
    ip: acting.ip,
    change: { sessionsEnded: ended },
  });
  return ended;
}

/** Where reset links point: BATON_PUBLIC_URL, else the origin the admin's request came to. */
function linkBase(request: Request): string {
  return process.env.BATON_PUBLIC_URL?.trim().replace(/\/+$/, '') || new URL(request.url).origin;
}

/** Issues a single-use reset link for a member (replacing an earlier one); the answer is the only time it is shown. */
export async function issueResetLink(
  acting: Acting,
  request: Request,
  userId: string,
): Promise<{ link: string; expiresAt: string }> {
  const { caller } = acting;
  if (userId === caller.user.id)
    throw apiError(403, 'Change your own password on your Account page; a reset link is for someone else.');
  const user = await manageableUser(acting, userId);
  for (const workspace of await workspacesOf(user.id)) {
    const mine = await membershipOf(workspace.id, caller.user.id);
    const manages = mine && ROLE_PERMISSIONS[mine.role].has('member.manage');
    if (!manages || !assignableRoles(mine.role).includes(workspace.role))
      throw apiError(
        403,
        `${user.name} is also ${workspace.role} in a workspace you do not manage at that level, and a reset link would hand you that account too; ask an owner there.`,
      );
  }
  const { token, reset } = await issuePasswordReset({
    userId: user.id,
    workspaceId: caller.scope.workspaceId,
    issuedBy: caller.user.id,
  });
  await recordAudit({
    workspaceId: caller.scope.workspaceId,
    actor: actorOf(acting),
    action: 'auth.password-reset-issued',
    target: { kind: 'user', id: user.id, name: user.name },
    ip: acting.ip,
    change: { expiresAt: reset.expiresAt.toISOString(), validMinutes: RESET_LINK_MINUTES },
  });
  return { link: `${linkBase(request)}/reset/${token}`, expiresAt: reset.expiresAt.toISOString() };
}

/** Uses a reset link: sets the password and ends every session. Undefined when the link is used or expired. */
export async function resetPassword(token: string, password: string, ip: string): Promise<User | undefined> {
  const reset = await consumePasswordReset(token);
  const user = reset && (await getUserById(reset.userId));
  if (!reset || !user) return undefined;
  await setPassword(user.id, password);
  const ended = await revokeSessionsOf(user.id);
  await recordAudit({
    workspaceId: reset.workspaceId,
    actor: { id: user.id, name: user.name, via: 'session' },
    action: 'auth.password-reset',
    target: { kind: 'user', id: user.id, name: user.name },
    ip,
    change: { issuedBy: reset.issuedBy, sessionsEnded: ended },
  });
  return user;
}
