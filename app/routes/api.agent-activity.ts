// GET /api/agent-activity?workflowId=&node=&before=&limit=: the workspace's model and tool calls, newest first, for
// the agent activity feed (/agents). `before` (an ISO time) pages back; the page follows live `agent` events after.
import { recentCalls } from '../../db/agent-calls';
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';

const MAX_LIMIT = 200;

const handle = apiHandler('/api/agent-activity', {
  GET: async ({ request, caller }) => {
    const query = new URL(request.url).searchParams;
    const limit = Number(query.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      return apiError(400, `limit: a whole number from 1 to ${MAX_LIMIT}.`);
    const beforeText = query.get('before');
    const before = beforeText ? new Date(beforeText) : undefined;
    if (before && Number.isNaN(before.getTime())) return apiError(400, 'before: an ISO date and time.');
    const workflowId = query.get('workflowId') ?? undefined;
    const nodeName = query.get('node') ?? undefined;
    const calls = await recentCalls(caller.scope.workspaceId, { limit, before, workflowId, nodeName });
    return json({ calls });
  },
});

export const loader = handle;
