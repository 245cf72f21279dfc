// GET /api/chat/sessions/:runId: a conversation as the chat page shows it — what the person said and what the
// assistant answered, in order (no system prompt, no tool calls), and where it stands (open, ended, failed).
// 404 for a run of another workspace or one that is not a chat.
import { apiHandler } from '../lib/api-route.server';
import { readChat } from '../lib/chat.server';
import { apiError, json } from '../lib/http.server';

const handle = apiHandler('/api/chat/sessions/:runId', {
  GET: async ({ params, caller }) => {
    const read = await readChat(caller.scope, params.runId!);
    if (!read.ok) return apiError(read.status, read.message);
    return json({ session: read.session });
  },
});

export const loader = handle;
export const action = handle;
