// POST /api/chat/sessions/:runId/messages { text }: sends the caller's message to a conversation, a signal its
// chatting Agent reads after its current answer; 202, the reply streams on the run's room. 400 for an empty text or
// one over 16,000 characters, 404 for a run of another workspace or one that is not a chat, 409 once it has ended.
import { apiHandler } from '../lib/api-route.server';
import { chatTextSchema, sendToChat } from '../lib/chat.server';
import { apiError, json, readJsonWith } from '../lib/http.server';

const handle = apiHandler('/api/chat/sessions/:runId/messages', {
  POST: async ({ request, params, caller, user }) => {
    const { text } = await readJsonWith(request, chatTextSchema, 256 * 1024);
    const sent = await sendToChat(caller.scope, params.runId!, user, text);
    if (!sent.ok) return apiError(sent.status, sent.message);
    return json({ sent: true }, 202);
  },
});

export const loader = handle;
export const action = handle;
