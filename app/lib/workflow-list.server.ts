// The workflow list as the home page and GET /api/workflows show it: newest first, with the last run.
import { listRuns } from '../../db/runs';
import { listWorkflows, type WorkflowSummary } from '../../db/workflows';
import type { WorkspaceScope } from '../../db/workspaces';

export interface WorkflowListItem extends WorkflowSummary {
  lastRun: { runId: string; status: string; startedAt: Date } | null;
}

export async function listWorkflowsWithLastRun(scope: WorkspaceScope): Promise<WorkflowListItem[]> {
  const workflows = await listWorkflows(scope);
  return Promise.all(
    workflows.map(async (w) => {
      const [run] = await listRuns(scope, { workflowId: w.id, limit: 1 });
      return { ...w, lastRun: run ? { runId: run.runId, status: run.status, startedAt: run.startedAt } : null };
    }),
  );
}
