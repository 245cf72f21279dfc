// GET /api/sessions: the caller's sign-in sessions (`current` marks this browser's). DELETE: ends all but this one.
import { apiHandler } from '../lib/api-route.server';
import { json } from '../lib/http.server';
import { sessionIdFromCookie } from '../lib/session.server';
import { endOtherSessions, sessionList } from '../lib/account.server';

const handle = apiHandler('/api/sessions', {
  GET: async ({ request, caller, ip }) => {
    const sessionId = await sessionIdFromCookie(request.headers.get('Cookie'));
    return json({ sessions: await sessionList({ caller, ip, sessionId }) });
  },
  DELETE: async ({ request, caller, ip }) => {
    const sessionId = await sessionIdFromCookie(request.headers.get('Cookie'));
    return json({ ended: await endOtherSessions({ caller, ip, sessionId }) });
  },
});

export const loader = handle;
export const action = handle;
