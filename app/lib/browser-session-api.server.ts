// What the browser-session routes and the credentials page share (docs/decisions/060): the workspace's saved
// sessions as rows (name, size, sites, dates, the workflow and run that last saved each), never their state.
import { z } from 'zod';
import { recordAudit } from '../../db/audit';
import { listBrowserSessions, MAX_SESSION_WORKFLOWS, type BrowserSessionView } from '../../db/browser-sessions';
import { listWorkflows } from '../../db/workflows';
import type { WorkspaceScope } from '../../db/workspaces';
import type { Caller } from './caller.server';

export interface BrowserSessionRow extends Omit<BrowserSessionView, 'savedBy'> {
  savedBy: BrowserSessionView['savedBy'] & {
    /** The workflow's name now; null when it was deleted. */
    workflowName: string | null;
  };
  /** The workflows it is limited to, by name (null: deleted since); empty: all of the workspace's. */
  allowedWorkflows: Array<{ id: string; name: string | null }>;
}

export async function browserSessionRows(scope: WorkspaceScope): Promise<BrowserSessionRow[]> {
  const sessions = await listBrowserSessions(scope);
  if (sessions.length === 0) return [];
  const names = new Map((await sessionWorkflowChoices(scope)).map((w) => [w.id, w.name]));
  return sessions.map((s) => ({
    ...s,
    savedBy: { ...s.savedBy, workflowName: names.get(s.savedBy.workflowId) ?? null },
    allowedWorkflows: s.allowedWorkflowIds.map((id) => ({ id, name: names.get(id) ?? null })),
  }));
}

/** The workspace's workflows a session can be limited to, by name. */
export async function sessionWorkflowChoices(scope: WorkspaceScope): Promise<Array<{ id: string; name: string }>> {
  const workflows = await listWorkflows(scope, { limit: 1000 });
  return workflows.map((w) => ({ id: w.id, name: w.name })).sort((a, b) => a.name.localeCompare(b.name));
}

/** PATCH /api/browser-sessions/:name: the workflows that may use the session; empty means all of the workspace's. */
export const sessionWorkflowsBody = z.object({
  allowedWorkflowIds: z.array(z.string().min(1).max(100)).max(MAX_SESSION_WORKFLOWS),
});

/** Who may sign in with a session is a change to the workspace's secrets too. */
export function auditSessionWorkflows(caller: Caller, ip: string, session: BrowserSessionView) {
  return recordAudit({
    workspaceId: caller.scope.workspaceId,
    actor: { id: caller.user.id, name: caller.user.name, via: caller.via },
    action: 'credential.update',
    target: { kind: 'browser-session', id: session.id, name: session.name },
    ip,
    change: { type: 'browser-session', allowedWorkflowIds: session.allowedWorkflowIds },
  });
}

/** Deleting a session is a change to the workspace's secrets, so it is audited like a credential's. */
export function auditSessionDelete(caller: Caller, ip: string, session: Pick<BrowserSessionView, 'id' | 'name'>) {
  return recordAudit({
    workspaceId: caller.scope.workspaceId,
    actor: { id: caller.user.id, name: caller.user.name, via: caller.via },
    action: 'credential.delete',
    target: { kind: 'browser-session', id: session.id, name: session.name },
    ip,
    change: { type: 'browser-session' },
  });
}
