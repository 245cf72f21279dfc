// The workspaces a user belongs to: list, create (the creator owns it), rename, and switch (the browser's choice
// lives in the workspace cookie, checked against memberships on every request). Shared by the API and the shell.
import { z } from 'zod';
import type { Role } from '../../contracts/permissions';
import { recordAudit } from '../../db/audit';
import type { User } from '../../db/users';
import { createWorkspace, getWorkspace, membershipOf, renameWorkspace, workspacesOf } from '../../db/workspaces';
import { workspaceCookie, type Caller } from './caller.server';
import { apiError } from './http.server';
import type { Acting } from './members.server';

export const workspaceNameSchema = z.object({ name: z.string().trim().min(1, 'is required').max(100) });

export interface WorkspaceView {
  id: string;
  name: string;
  role: Role;
  /** The workspace the caller acts in now. */
  current: boolean;
}

export async function myWorkspaces(caller: Caller): Promise<WorkspaceView[]> {
  return (await workspacesOf(caller.user.id)).map((w) => ({
    id: w.id,
    name: w.name,
    role: w.role,
    current: w.id === caller.scope.workspaceId,
  }));
}

export async function startWorkspace(user: User, name: string): Promise<WorkspaceView> {
  const workspace = await createWorkspace({ name, ownerId: user.id });
  return { id: workspace.id, name: workspace.name, role: 'owner', current: false };
}

/** Renames the caller's current workspace; any other id reads as missing. */
export async function renameCurrent(acting: Acting, id: string, name: string): Promise<void> {
  const { caller } = acting;
  const before = id === caller.scope.workspaceId ? await getWorkspace(id) : undefined;
  if (!before) throw apiError(404, `No workspace ${id} here; rename the workspace you are acting in.`);
  await renameWorkspace(caller.scope, name);
  await recordAudit({
    workspaceId: caller.scope.workspaceId,
    actor: { id: caller.user.id, name: caller.user.name, via: caller.via },
    action: 'workspace.settings',
    target: { kind: 'workspace', id, name },
    ip: acting.ip,
    change: { name: { from: before.name, to: name.trim() } },
  });
}

function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
}

/** The `Set-Cookie` that makes the browser act in workspace `id`; 404 unless the user is a member of it. */
export async function switchCookie(request: Request, caller: Caller, id: string): Promise<string> {
  if (caller.via === 'token')
    throw apiError(400, 'An API token acts in the workspace it was created in; create a token in the other workspace.');
  if (!(await membershipOf(id, caller.user.id))) throw apiError(404, `No workspace ${id} among yours.`);
  return workspaceCookie(id, isHttps(request));
}
