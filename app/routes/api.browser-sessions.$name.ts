// DELETE /api/browser-sessions/:name: forgets a saved browser session; the next run that names it starts signed out.
// Another workspace's session, or a name that holds none, is a 404.
import { deleteBrowserSession, listBrowserSessions } from '../../db/browser-sessions';
import { apiHandler } from '../lib/api-route.server';
import { auditSessionDelete } from '../lib/browser-session-api.server';
import { apiError, json } from '../lib/http.server';

const handle = apiHandler('/api/browser-sessions/:name', {
  DELETE: async ({ params, caller, ip }) => {
    const name = params.name ?? '';
    const session = (await listBrowserSessions(caller.scope)).find((s) => s.name === name.trim());
    if (!session || !(await deleteBrowserSession(caller.scope, name))) {
      return apiError(404, `No browser session "${name.slice(0, 80)}" in this workspace; it may have been deleted.`);
    }
    await auditSessionDelete(caller, ip, session);
    return json({ deleted: true, name: session.name });
  },
});

export const loader = handle;
export const action = handle;
