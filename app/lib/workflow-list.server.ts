// The workflow list as the home page and GET /api/workflows show it: newest first, with the last run and, for a
// workflow installed from the marketplace, the newer version of its listing it may update to (docs/decisions/069).
import { updateOffers } from '../../db/marketplace-update-offers';
import { listRuns } from '../../db/runs';
import { listWorkflows, type WorkflowSummary } from '../../db/workflows';
import type { WorkspaceScope } from '../../db/workspaces';

export interface WorkflowListItem extends WorkflowSummary {
  lastRun: { runId: string; status: string; startedAt: Date } | null;
  /** The listing version the editor's update notice offers, e.g. "1.1.0"; null when there is none to take. */
  updateAvailable: string | null;
}

export async function listWorkflowsWithLastRun(scope: WorkspaceScope): Promise<WorkflowListItem[]> {
  const [workflows, offers] = await Promise.all([listWorkflows(scope), updateOffers(scope.workspaceId)]);
  return Promise.all(
    workflows.map(async (w) => {
      const [run] = await listRuns(scope, { workflowId: w.id, limit: 1 });
      return {
        ...w,
        lastRun: run ? { runId: run.runId, status: run.status, startedAt: run.startedAt } : null,
        updateAvailable: offers.get(w.id) ?? null,
      };
    }),
  );
}
