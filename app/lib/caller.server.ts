// Who is asking and in which workspace (decision 036). An API token acts in the workspace it was created in; a
// browser session acts in the workspace chosen in the switcher (a cookie, checked against the user's memberships on
// every request), falling back to the user's first workspace. Permissions come from contracts/permissions.ts.
import { allows, type Permission, type TokenScope } from '../../contracts/permissions';
import type { User } from '../../db/users';
import { membershipOf, scopeOf, workspacesOf, type WorkspaceScope } from '../../db/workspaces';
import type { Identity } from './auth.server';
import { apiError } from './http.server';

export const WORKSPACE_COOKIE = 'baton_workspace';

export interface Caller {
  user: User;
  via: Identity['via'];
  /** The workspace the caller acts in, with their role there. */
  scope: WorkspaceScope;
  /** An API token's scopes; undefined for a browser session. */
  tokenScopes?: readonly TokenScope[];
  /** The API token's id, when the caller is a token. */
  tokenId?: string;
}

/** The workspace id a `baton_workspace` cookie names, if any. */
export function chosenWorkspace(cookieHeader: string | null | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === WORKSPACE_COOKIE) {
      const value = decodeURIComponent(rest.join('='));
      return /^[\w-]{1,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** `Set-Cookie` value that makes the browser act in `workspaceId` from now on. */
export function workspaceCookie(workspaceId: string, secure: boolean): string {
  return `${WORKSPACE_COOKIE}=${encodeURIComponent(workspaceId)}; Path=/; SameSite=Lax; HttpOnly; Max-Age=31536000${
    secure ? '; Secure' : ''
  }`;
}

/**
 * The caller for an identity: a token's own workspace (undefined once its holder left it), else the chosen
 * workspace when the user is a member of it, else their first workspace; undefined when they belong to none.
 */
export async function callerOf(identity: Identity, chosenWorkspaceId?: string): Promise<Caller | undefined> {
  const base = {
    user: identity.user,
    via: identity.via,
    tokenScopes: identity.token?.scopes,
    tokenId: identity.token?.id,
  };
  if (identity.token?.workspaceId) {
    const membership = await membershipOf(identity.token.workspaceId, identity.user.id);
    return membership ? { ...base, scope: scopeOf(membership) } : undefined;
  }
  if (chosenWorkspaceId) {
    const membership = await membershipOf(chosenWorkspaceId, identity.user.id);
    if (membership) return { ...base, scope: scopeOf(membership) };
  }
  const [first] = await workspacesOf(identity.user.id);
  if (!first) return undefined;
  const membership = await membershipOf(first.id, identity.user.id);
  return membership ? { ...base, scope: scopeOf(membership) } : undefined;
}

/** Whether the caller's role in its workspace, capped by its token's scopes, grants `permission`. */
export function can(caller: Caller, permission: Permission): boolean {
  return allows(caller.scope.role, permission, caller.tokenScopes);
}

/** The refusal for a caller that lacks `permission`: names the role, the workspace and, for a token, its scopes. */
export function permissionRefusal(caller: Caller, permission: Permission): string {
  const tokenPart = caller.tokenScopes ? ` with a token scoped to ${caller.tokenScopes.join(', ') || 'nothing'}` : '';
  return `Not allowed: ${permission} needs a role that grants it; you are ${caller.scope.role} in this workspace${tokenPart}.`;
}

/** Throws a 403 JSON response unless the caller may `permission`. */
export function requirePermission(caller: Caller, permission: Permission): void {
  if (!can(caller, permission)) throw apiError(403, permissionRefusal(caller, permission));
}
