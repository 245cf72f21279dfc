// POST /api/me/password { currentPassword, newPassword }: changes the caller's password and ends their other
// sessions (this browser's stays signed in).
import { apiHandler } from '../lib/api-route.server';
import { json, readJsonWith } from '../lib/http.server';
import { sessionIdFromCookie } from '../lib/session.server';
import { changePassword, passwordChangeSchema } from '../lib/account.server';

const handle = apiHandler('/api/me/password', {
  POST: async ({ request, caller, ip }) => {
    const input = await readJsonWith(request, passwordChangeSchema);
    const sessionId = await sessionIdFromCookie(request.headers.get('Cookie'));
    return json({ otherSessionsEnded: await changePassword({ caller, ip, sessionId }, input) });
  },
});

export const loader = handle;
export const action = handle;
