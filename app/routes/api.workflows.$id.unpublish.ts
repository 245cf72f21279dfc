// POST /api/workflows/:id/unpublish: takes the workflow offline. No version is published any more, so its webhooks
// answer 404 and its schedule is deleted; its versions and runs stay, and publishing again brings it back.
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { hasLiveSchedule, removeSchedule } from '../lib/schedules.server';
import { auditWorkflowAction } from '../lib/workflow-audit.server';
import { getWorkflow, unpublishWorkflow } from '../../db/workflows';

const handle = apiHandler('/api/workflows/:id/unpublish', {
  POST: async ({ params, caller, ip }) => {
    const workflow = await getWorkflow(caller.scope, params.id!);
    if (!workflow) return apiError(404, `Workflow ${params.id} does not exist.`);
    if (workflow.publishedVersion === null)
      return apiError(409, `Workflow ${workflow.id} is not published, so there is nothing to unpublish.`);
    // The schedule goes first: if Temporal cannot delete it, the workflow stays published, as it still runs.
    let scheduleDeleted: boolean;
    try {
      scheduleDeleted = await removeSchedule(workflow.id, await hasLiveSchedule(workflow));
    } catch (err) {
      return apiError(
        502,
        `Version ${workflow.publishedVersion} stays published: its schedule could not be deleted in Temporal ` +
          `(${(err as Error).message}); try again.`,
      );
    }
    const unpublished = await unpublishWorkflow(caller.scope, workflow.id);
    if (unpublished === undefined) return apiError(404, `Workflow ${params.id} does not exist.`);
    await auditWorkflowAction(
      { caller, ip },
      'workflow.unpublish',
      { kind: 'workflow', id: workflow.id, name: workflow.name },
      { version: unpublished },
    );
    return json({ unpublishedVersion: unpublished, scheduleDeleted });
  },
});

export const loader = handle;
export const action = handle;
