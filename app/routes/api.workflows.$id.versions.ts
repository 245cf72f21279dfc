// GET /api/workflows/:id/versions: published versions, newest first.
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { getWorkflow, listVersions } from '../../db/workflows';

const handle = apiHandler('/api/workflows/:id/versions', {
  GET: async ({ params, caller }) => {
    const workflow = await getWorkflow(caller.scope, params.id!);
    if (!workflow) return apiError(404, `Workflow ${params.id} does not exist.`);
    return json({ versions: await listVersions(caller.scope, workflow.id) });
  },
});

export const loader = handle;
export const action = handle;
