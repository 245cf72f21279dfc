// POST /api/chat/sessions/:runId/close: ends a conversation; its chatting Agent finishes with its last answer and the
// run goes on from there. 202; 404 for a run of another workspace or one that is not a chat, 409 once it has ended.
import { apiHandler } from '../lib/api-route.server';
import { closeChatRun } from '../lib/chat.server';
import { apiError, json } from '../lib/http.server';

const handle = apiHandler('/api/chat/sessions/:runId/close', {
  POST: async ({ params, caller }) => {
    const closed = await closeChatRun(caller.scope, params.runId!);
    if (!closed.ok) return apiError(closed.status, closed.message);
    return json({ closed: true }, 202);
  },
});

export const loader = handle;
export const action = handle;
