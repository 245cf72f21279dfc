// Which scopes a caller may put on a new API token: never more than its own. A browser session may choose the
// scopes its role can use; a token may choose among its own scopes only, within its holder's role.
import {
  ROLE_PERMISSIONS,
  SCOPE_PERMISSIONS,
  TOKEN_SCOPES,
  type Role,
  type TokenScope,
} from '../../contracts/permissions';

export const SCOPE_LABELS: Record<TokenScope, string> = {
  read: 'Read workflows, runs and credentials (never their secrets)',
  write: 'Create, edit, publish and delete workflows and credentials',
  run: 'Start, cancel and resume runs',
  approve: 'Decide approvals',
  admin: 'Manage members, read the audit log, change workspace settings',
};

/** A scope is of use to a role when it grants the role something beyond reading (or is `read` itself). */
function roleCanUse(role: Role, scope: TokenScope): boolean {
  return [...SCOPE_PERMISSIONS[scope]].some(
    (permission) => ROLE_PERMISSIONS[role].has(permission) && (scope === 'read' || permission !== 'workspace.read'),
  );
}

/** The scopes a caller with `role` (and, for a token, `ownScopes`) may grant. */
export function grantableScopes(role: Role, ownScopes?: readonly TokenScope[]): TokenScope[] {
  return TOKEN_SCOPES.filter((scope) => roleCanUse(role, scope) && (!ownScopes || ownScopes.includes(scope)));
}
