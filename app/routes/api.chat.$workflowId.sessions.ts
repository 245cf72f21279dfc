// GET /api/chat/:workflowId/sessions: the caller's conversations with the workflow, newest first.
// POST /api/chat/:workflowId/sessions { text }: starts a conversation, a run of the workflow's published version (its
// trigger a Chat trigger) started by the caller with `text` as its first message; answers 201 { runId }. 404 for a
// workflow of another workspace, 409 for one that is not published or does not start with a Chat trigger.
import { apiHandler } from '../lib/api-route.server';
import { chatTextSchema, findChat, listChats, startChat } from '../lib/chat.server';
import { apiError, json, readJsonWith } from '../lib/http.server';
import { auditWorkflowAction } from '../lib/workflow-audit.server';

const handle = apiHandler('/api/chat/:workflowId/sessions', {
  GET: async ({ params, caller, user }) => {
    const found = await findChat(caller.scope, params.workflowId!);
    if (!found.ok) return apiError(found.status, found.message);
    return json({ sessions: await listChats(caller.scope, found.chat.workflow.id, user) });
  },
  POST: async ({ request, params, caller, user, ip }) => {
    const { text } = await readJsonWith(request, chatTextSchema, 256 * 1024);
    const found = await findChat(caller.scope, params.workflowId!);
    if (!found.ok) return apiError(found.status, found.message);
    const started = await startChat(found.chat, user, text);
    if (!started.ok)
      return json({ error: { message: started.message } }, started.status, {
        'Retry-After': String(started.retryAfterSeconds ?? 5),
      });
    await auditWorkflowAction(
      { caller, ip },
      'run.start',
      { kind: 'run', id: started.runId, name: found.chat.workflow.name },
      { workflowId: found.chat.workflow.id, version: found.chat.version, via: 'chat' },
    );
    return json({ runId: started.runId }, 201);
  },
});

export const loader = handle;
export const action = handle;
