// GET /api/workflows/:id/listings: the workflow's published version and the marketplace listings this workspace made
// from it, newest first; what the editor's "Publish to marketplace" dialog needs to offer a first listing or a new
// version (docs/decisions/068).
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { can } from '../lib/caller.server';
import { listingsOfWorkflow } from '../../db/marketplace-listings';
import { getWorkflow } from '../../db/workflows';

const handle = apiHandler('/api/workflows/:id/listings', {
  GET: async ({ params, caller }) => {
    const workflow = await getWorkflow(caller.scope, params.id!);
    if (!workflow) return apiError(404, `Workflow ${params.id} does not exist.`);
    return json({
      workflow: { id: workflow.id, name: workflow.name, publishedVersion: workflow.publishedVersion },
      listings: await listingsOfWorkflow(caller.scope.workspaceId, workflow.id),
      canPublish: can(caller, 'workflow.write'),
    });
  },
});

export const loader = handle;
export const action = handle;
