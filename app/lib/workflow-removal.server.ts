// Deleting a workflow, as the user chooses: keep its runs (the workflow is archived: gone from lists, the
// editor, webhooks and its schedule, its run history kept) or delete them too (active runs are terminated, then
// runs, steps, events, blobs and unpinned plans are deleted; what one request cannot finish, retention does).
import { activeRunsOf } from '../../db/active-runs';
import { purgeWorkflow } from '../../db/retention';
import { archiveWorkflow, getWorkflow } from '../../db/workflows';
import { terminateNow } from '../../temporal/run-control';
import { hasLiveSchedule, removeSchedule } from './schedules.server';

export type RunsChoice = 'keep' | 'delete';

/** Runs one request deletes before leaving the rest to the retention pass. */
const RUNS_PER_REQUEST = 2_000;

/** False when there is no such workflow (or it was deleted already). */
export async function removeWorkflow(id: string, runs: RunsChoice, who: string): Promise<boolean> {
  const workflow = await getWorkflow(id);
  if (!workflow) return false;
  // First, so that a Schedule that cannot be deleted leaves the workflow as it was, not archived and still firing.
  await removeSchedule(id, await hasLiveSchedule(workflow));
  if (!(await archiveWorkflow(id, { purgeRuns: runs === 'delete' }))) return false;
  if (runs === 'keep') return true;
  for (const active of await activeRunsOf(id)) {
    await terminateNow(active.runId, who, 'its workflow was deleted with its runs');
  }
  await purgeWorkflow(id, { maxRuns: RUNS_PER_REQUEST });
  return true;
}
