// Who may do what in a workspace: roles grant permissions, API token scopes cap them. One table, read by the API
// routes, the pages, the socket rooms and the authorization matrix test (docs/decisions/036-workspaces.md).

export const ROLES = ['owner', 'admin', 'editor', 'operator', 'approver', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** See workflows, versions, runs and their steps. */
  'workspace.read',
  /** Create, edit, publish, unpublish and delete workflows; manage their schedules. */
  'workflow.write',
  /** Start runs (manual, run now, backfill). */
  'run.start',
  /** Cancel, terminate and resume runs. */
  'run.control',
  /** Decide approvals addressed to the caller. */
  'approval.decide',
  /** List credentials (never their secrets) and pick them in nodes. */
  'credential.read',
  /** Create, edit, test and delete credentials. */
  'credential.write',
  /** Invite, change roles, remove members; manage groups. */
  'member.manage',
  /** Read and export the audit log. */
  'audit.read',
  /** Rename the workspace, change its settings. */
  'workspace.admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEW: Permission[] = ['workspace.read'];
const OPERATE: Permission[] = [...VIEW, 'run.start', 'run.control', 'approval.decide'];
const BUILD: Permission[] = [...OPERATE, 'workflow.write', 'credential.read', 'credential.write'];
const ADMIN: Permission[] = [...BUILD, 'member.manage', 'audit.read', 'workspace.admin'];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(ADMIN),
  admin: new Set(ADMIN),
  editor: new Set(BUILD),
  operator: new Set(OPERATE),
  approver: new Set([...VIEW, 'approval.decide']),
  viewer: new Set(VIEW),
};

export const TOKEN_SCOPES = ['read', 'write', 'run', 'approve', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** What each token scope lets a token do, at most: the holder's role still applies. */
export const SCOPE_PERMISSIONS: Record<TokenScope, ReadonlySet<Permission>> = {
  read: new Set(['workspace.read', 'credential.read']),
  write: new Set(['workspace.read', 'workflow.write', 'credential.read', 'credential.write']),
  run: new Set(['workspace.read', 'run.start', 'run.control']),
  approve: new Set(['workspace.read', 'approval.decide']),
  admin: new Set(['workspace.read', 'member.manage', 'audit.read', 'workspace.admin']),
};

/** Whether a member with `role`, calling with a token of `scopes` (undefined: a browser session), may `permission`. */
export function allows(role: Role, permission: Permission, scopes?: readonly TokenScope[]): boolean {
  if (!ROLE_PERMISSIONS[role].has(permission)) return false;
  return scopes === undefined || scopes.some((scope) => SCOPE_PERMISSIONS[scope].has(permission));
}

/** Roles a member with `role` may hand out: admins manage everyone but owners; only owners make owners. */
export function assignableRoles(role: Role): Role[] {
  if (role === 'owner') return [...ROLES];
  if (role === 'admin') return ROLES.filter((r) => r !== 'owner');
  return [];
}
