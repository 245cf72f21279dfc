// DELETE /api/browser-sessions/:name: forgets a saved browser session; the next run that names it starts signed out.
// PATCH { allowedWorkflowIds }: limits it to those workflows of the workspace (empty: all of them); a run of another
// workflow that names it fails. Another workspace's session, or a name that holds none, is a 404.
import {
  BrowserSessionError,
  deleteBrowserSession,
  listBrowserSessions,
  setBrowserSessionWorkflows,
} from '../../db/browser-sessions';
import { apiHandler } from '../lib/api-route.server';
import {
  auditSessionDelete,
  auditSessionWorkflows,
  browserSessionRows,
  sessionWorkflowsBody,
} from '../lib/browser-session-api.server';
import { apiError, json, readJsonWith } from '../lib/http.server';

const missing = (name: string) =>
  apiError(404, `No browser session "${name.slice(0, 80)}" in this workspace; it may have been deleted.`);

const handle = apiHandler('/api/browser-sessions/:name', {
  PATCH: async ({ request, params, caller, ip }) => {
    const name = params.name ?? '';
    const { allowedWorkflowIds } = await readJsonWith(request, sessionWorkflowsBody);
    try {
      const session = await setBrowserSessionWorkflows(caller.scope, name, allowedWorkflowIds);
      if (!session) return missing(name);
      await auditSessionWorkflows(caller, ip, session);
      return json({ session: (await browserSessionRows(caller.scope)).find((s) => s.id === session.id) });
    } catch (err) {
      if (err instanceof BrowserSessionError) return apiError(400, err.message);
      throw err;
    }
  },
  DELETE: async ({ params, caller, ip }) => {
    const name = params.name ?? '';
    const session = (await listBrowserSessions(caller.scope)).find((s) => s.name === name.trim());
    if (!session || !(await deleteBrowserSession(caller.scope, name))) return missing(name);
    await auditSessionDelete(caller, ip, session);
    return json({ deleted: true, name: session.name });
  },
});

export const loader = handle;
export const action = handle;
