// GET /api/browser-sessions: the workspace's saved browser sessions (docs/decisions/060): name, size, sites, dates
// and the workflow and run that last saved each; never the cookies or local storage they hold.
import { apiHandler } from '../lib/api-route.server';
import { browserSessionRows } from '../lib/browser-session-api.server';
import { json } from '../lib/http.server';

const handle = apiHandler('/api/browser-sessions', {
  GET: async ({ caller }) => json({ sessions: await browserSessionRows(caller.scope) }),
});

export const loader = handle;
export const action = handle;
