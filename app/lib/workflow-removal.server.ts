// Deleting a workflow, as the user chooses: keep its runs (the workflow is archived: gone from lists, the
// editor, webhooks and its schedule, its run history kept) or delete them too (active runs are terminated, then
// runs, steps, events, blobs and unpinned plans are deleted; what one request cannot finish, retention does).
import { activeRunsOf } from '../../db/active-runs';
import { purgeWorkflow } from '../../db/retention';
import { archiveWorkflow, getWorkflow } from '../../db/workflows';
import { terminateNow } from '../../temporal/run-control';
import { hasLiveSchedule, removeSchedule } from './schedules.server';
import { auditWorkflowAction, type Acting } from './workflow-audit.server';

export type RunsChoice = 'keep' | 'delete';

/** Runs one request deletes before leaving the rest to the retention pass. */
const RUNS_PER_REQUEST = 2_000;

/** False when there is no such workflow in the caller's workspace (or it was deleted already). */
export async function removeWorkflow(acting: Acting, id: string, runs: RunsChoice): Promise<boolean> {
  const { scope, user } = acting.caller;
  const workflow = await getWorkflow(scope, id);
  if (!workflow) return false;
  // First, so that a Schedule that cannot be deleted leaves the workflow as it was, not archived and still firing.
  await removeSchedule(workflow.id, await hasLiveSchedule(workflow));
  if (!(await archiveWorkflow(scope, workflow.id, { purgeRuns: runs === 'delete' }))) return false;
  await auditWorkflowAction(
    acting,
    'workflow.delete',
    { kind: 'workflow', id: workflow.id, name: workflow.name },
    { runs },
  );
  if (runs === 'keep') return true;
  // The workflow's runs are all of its workspace (a run is recorded in its workflow's), so the engine purges them.
  for (const active of await activeRunsOf(workflow.id)) {
    await terminateNow(active.runId, user.name, 'its workflow was deleted with its runs');
  }
  await purgeWorkflow(workflow.id, { maxRuns: RUNS_PER_REQUEST });
  return true;
}
