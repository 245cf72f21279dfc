// Runs one run starts in another workflow (an Execute workflow node, the error workflow of a failed run): which
// published plan runs, and the child's run record, written before the child starts so it shows in history at once,
// linked to its parent. Idempotent: a retry finds the record it wrote. A child runs in its parent's workspace: the
// workflow it names is looked up there, so another workspace's workflow reads as missing (decision 036).
import { ApplicationFailure } from '@temporalio/activity';
import { systemScope } from '../db/workspaces';
import type { RunMode } from '../contracts/run-record';
import type { Plan } from '../ir/types';
import type { ActivityDeps } from './deps';

/** How deep runs may start runs: a workflow that calls itself stops here instead of forever. */
export const MAX_SUBRUN_DEPTH = 8;

export interface PrepareSubRunInput {
  parentRunId: string;
  parentNodeId: string;
  childRunId: string;
  /** How many runs up the chain started this one (0: the parent is a top-level run). */
  depth: number;
  workflowId: string;
  version: number | 'latest';
  trigger: unknown;
  mode: Extract<RunMode, 'subworkflow' | 'error'>;
}

export interface PrepareSubRunResult {
  plan: Plan;
  workflowVersion: number;
  workflowName: string;
}

const refuse = (message: string, code: string) =>
  ApplicationFailure.create({ message, type: code, nonRetryable: true });

export function createSubrunActivities(deps: ActivityDeps) {
  const { store } = deps;

  async function prepareSubRun(req: PrepareSubRunInput): Promise<PrepareSubRunResult> {
    if (req.depth >= MAX_SUBRUN_DEPTH)
      throw refuse(
        `runs nest more than ${MAX_SUBRUN_DEPTH} deep (does a workflow start itself?); stopped before starting another`,
        'subworkflow-depth',
      );
    const workspaceId = await parentWorkspace(req);
    const workflow = workspaceId
      ? await store.workflows.getWorkflow(systemScope(workspaceId), req.workflowId)
      : await store.workflows.getWorkflowUnscoped(req.workflowId);
    if (!workflow) throw refuse(`workflow ${req.workflowId} does not exist (or was deleted)`, 'subworkflow-missing');
    const version = req.version === 'latest' ? workflow.publishedVersion : req.version;
    if (version === null)
      throw refuse(`workflow "${workflow.name}" has no published version; publish it first`, 'subworkflow-unpublished');
    const published = await store.workflows.getVersion(req.workflowId, version);
    if (!published)
      throw refuse(`workflow "${workflow.name}" has no published version ${version}`, 'subworkflow-unpublished');
    const plan = await store.plans.getPlan(published.planHash);
    if (!plan) throw new Error(`The plan of version ${version} of "${workflow.name}" is missing from the store`);
    if (!(await store.runs.getRunUnscoped(req.childRunId))) {
      await store.runs
        .createRun({
          runId: req.childRunId,
          workspaceId: workflow.workspaceId,
          workflowId: req.workflowId,
          workflowVersion: version,
          planHash: plan.hash,
          trigger: req.trigger,
          mode: req.mode,
          parentRunId: req.parentRunId,
          parentNodeId: req.parentNodeId,
        })
        .catch((err: unknown) => {
          // A retry after the record was written but before this activity reported.
          if ((err as { code?: unknown }).code !== 11000) throw err;
        });
    }
    return { plan, workflowVersion: version, workflowName: workflow.name };
  }

  /**
   * The parent run's workspace, from its record. A parent recorded without one (started straight through Temporal,
   * as engine tests do) has none to keep, and its child takes its workflow's.
   */
  async function parentWorkspace(req: PrepareSubRunInput): Promise<string | undefined> {
    return (await store.runs.getRunUnscoped(req.parentRunId))?.workspaceId;
  }

  return { prepareSubRun };
}
