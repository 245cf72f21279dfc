// Everything the editor page needs to open a workflow: the draft, the palette, current diagnostics and runs.
import { describeSpec, registry } from '../../nodes/index';
import type { Diagnostic } from '../../ir/types';
import { listRuns } from '../../db/runs';
import type { Workflow } from '../../db/workflows';
import type { WorkspaceScope } from '../../db/workspaces';
import { maskSecrets } from '../../nodes/secret-params';
import { checkForRun } from './document-check';
import type { NodeDescription } from './node-description';
import type { RunInfo } from '../../contracts/run-record';
import type { StepInfo } from '../../contracts/step-record';
import type { RunState } from './run-view';
import { clientRun, clientSteps } from './stored-values.server';

/** Loader data crosses to the browser as plain JSON (dates as strings), like the API's. */
const plain = <T>(value: unknown): T => JSON.parse(JSON.stringify(value ?? null)) as T;

async function runState(scope: WorkspaceScope, runId: string): Promise<RunState | null> {
  // The same shapes as GET /api/runs/:id and /steps: large values as previews.
  const run = await clientRun(scope, runId);
  if (!run) return null;
  const steps = await clientSteps(runId);
  const byNode: Record<string, StepInfo> = {};
  for (const step of plain<StepInfo[]>(steps)) byNode[step.nodeId] = step;
  return { run: plain<RunInfo>(run), steps: byNode };
}

export async function loadEditor(scope: WorkspaceScope, workflow: Workflow, viewRunId: string | null) {
  const specs = plain<NodeDescription[]>(registry.list().map((spec) => describeSpec(spec)));
  const check = checkForRun(workflow.document, { workflowId: workflow.id, name: workflow.name });
  const diagnostics: Diagnostic[] = check.ok ? check.warnings : check.diagnostics;

  let viewedRun: RunState | null = null;
  if (viewRunId) {
    viewedRun = await runState(scope, viewRunId);
    if (!viewedRun || viewedRun.run.workflowId !== workflow.id)
      throw new Response(`Run ${viewRunId} does not belong to this workflow.`, { status: 404 });
  }
  const recent = await listRuns(scope, { workflowId: workflow.id, limit: 10 });
  const lastFinished = recent.find((r) => r.status === 'succeeded' || r.status === 'failed');
  const lastRun = viewedRun ?? (lastFinished ? await runState(scope, lastFinished.runId) : null);

  return {
    workflow: {
      id: workflow.id,
      name: workflow.name,
      revision: workflow.revision,
      publishedVersion: workflow.publishedVersion,
      document: plain<unknown>(maskSecrets(workflow.document)),
    },
    specs,
    diagnostics: plain<Diagnostic[]>(diagnostics),
    viewedRun,
    lastRun,
  };
}
