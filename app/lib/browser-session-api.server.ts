// What the browser-session routes and the credentials page share (docs/decisions/060): the workspace's saved
// sessions as rows (name, size, sites, dates, the workflow and run that last saved each), never their state.
import { recordAudit } from '../../db/audit';
import { listBrowserSessions, type BrowserSessionView } from '../../db/browser-sessions';
import { listWorkflows } from '../../db/workflows';
import type { WorkspaceScope } from '../../db/workspaces';
import type { Caller } from './caller.server';

export interface BrowserSessionRow extends Omit<BrowserSessionView, 'savedBy'> {
  savedBy: BrowserSessionView['savedBy'] & {
    /** The workflow's name now; null when it was deleted. */
    workflowName: string | null;
  };
}

export async function browserSessionRows(scope: WorkspaceScope): Promise<BrowserSessionRow[]> {
  const sessions = await listBrowserSessions(scope);
  if (sessions.length === 0) return [];
  const names = new Map((await listWorkflows(scope, { limit: 1000 })).map((w) => [w.id, w.name]));
  return sessions.map((s) => ({
    ...s,
    savedBy: { ...s.savedBy, workflowName: names.get(s.savedBy.workflowId) ?? null },
  }));
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
