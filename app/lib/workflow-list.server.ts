// The workflow list as the home page and GET /api/workflows show it: newest first, with the last run.
import { listRuns } from '../../db/runs';
import { listWorkflows, type WorkflowSummary } from '../../db/workflows';

export interface WorkflowListItem extends WorkflowSummary {
  lastRun: { runId: string; status: string; startedAt: Date } | null;
}

export async function listWorkflowsWithLastRun(): Promise<WorkflowListItem[]> {
  const workflows = await listWorkflows();
  return Promise.all(
    workflows.map(async (w) => {
      const [run] = await listRuns({ workflowId: w.id, limit: 1 });
      return { ...w, lastRun: run ? { runId: run.runId, status: run.status, startedAt: run.startedAt } : null };
    }),
  );
}
