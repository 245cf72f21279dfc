// Audit entries for signing in and out. A user may belong to several workspaces; the entry goes to the one the
// browser acts in (the switcher's cookie when they are a member there, else their first), as the caller would.
import { recordAudit, type AuditAction } from '../../db/audit';
import type { User } from '../../db/users';
import { membershipOf, workspacesOf } from '../../db/workspaces';
import { chosenWorkspace } from './caller.server';

async function workspaceFor(user: User, cookieHeader: string | null): Promise<string | undefined> {
  const chosen = chosenWorkspace(cookieHeader);
  if (chosen && (await membershipOf(chosen, user.id))) return chosen;
  return (await workspacesOf(user.id))[0]?.id;
}

export async function auditSession(
  action: Extract<AuditAction, 'auth.sign-in' | 'auth.sign-out'>,
  user: User,
  request: Request,
  ip: string,
): Promise<void> {
  await recordAudit({
    workspaceId: await workspaceFor(user, request.headers.get('Cookie')),
    actor: { id: user.id, name: user.name, via: 'session' },
    action,
    target: { kind: 'user', id: user.id, name: user.name },
    ip,
  });
}

/** A failed sign-in belongs to no workspace; the actor is whoever typed `email`. */
export async function auditFailedSignIn(email: string, ip: string): Promise<void> {
  await recordAudit({
    actor: { id: 'anonymous', name: email.trim().slice(0, 200) },
    action: 'auth.sign-in-failed',
    ip,
  });
}
