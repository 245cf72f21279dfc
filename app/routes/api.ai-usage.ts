// GET /api/ai-usage?workflowId=&days=: model tokens, cost and compute time of the workspace (or of one of its
// workflows) over the last `days` days (default 30), summed from the call records.
import { usageSince } from '../../db/agent-calls';
import { workspaceOfWorkflow } from '../../db/workflows';
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';

const handle = apiHandler('/api/ai-usage', {
  GET: async ({ request, caller }) => {
    const query = new URL(request.url).searchParams;
    const days = Number(query.get('days') ?? 30);
    if (!Number.isInteger(days) || days < 1 || days > 3660)
      return apiError(400, 'days: a whole number from 1 to 3660.');
    const since = new Date(Date.now() - days * 86_400_000);
    const workflowId = query.get('workflowId');
    if (workflowId) {
      if ((await workspaceOfWorkflow(workflowId)) !== caller.scope.workspaceId)
        return apiError(404, `Workflow ${workflowId} does not exist in this workspace.`);
      return json({ days, workflowId, usage: await usageSince({ workflowId }, since) });
    }
    return json({ days, usage: await usageSince({ workspaceId: caller.scope.workspaceId }, since) });
  },
});

export const loader = handle;
