// The relatives each row of a workflow's runs page links to: the run that started it and the runs it started
// (Execute workflow nodes, error workflows), by `_id` and indexed equalities.
import { mapLimit } from '../../contracts/map-limit';
import type { RunInfo } from '../../contracts/run-record';
import { getPlan } from '../../db/plans';
import { getRun, listChildRuns } from '../../db/runs';
import { getWorkflow } from '../../db/workflows';
import type { WorkspaceScope } from '../../db/workspaces';
import type { RunFamilyInfo } from '../components/runs/RunFamily';

/** Children listed per row; a run that started more links to the rest from its own run panel. */
const CHILDREN_PER_ROW = 10;

/** Each run's relatives, by `_id` and indexed equalities: a parent lookup and a child query per run, 8 at a time. */
export async function familiesOf(
  scope: WorkspaceScope,
  runs: Array<Pick<RunInfo, 'runId' | 'parentRunId' | 'parentNodeId'>>,
): Promise<RunFamilyInfo[]> {
  const names = new Map<string, Promise<string | undefined>>();
  const nameOf = (id: string) => {
    if (!names.has(id))
      names.set(
        id,
        getWorkflow(scope, id).then((w) => w?.name),
      );
    return names.get(id)!;
  };
  return mapLimit(runs, 8, async (run) => {
    const [parent, children] = await Promise.all([
      run.parentRunId ? getRun(scope, run.parentRunId) : undefined,
      listChildRuns(scope, run.runId, CHILDREN_PER_ROW),
    ]);
    return {
      parent: parent && {
        runId: parent.runId,
        workflowId: parent.workflowId,
        workflowName: await nameOf(parent.workflowId),
        status: parent.status,
        nodeId: run.parentNodeId,
        nodeName: run.parentNodeId ? (await getPlan(parent.planHash))?.nodes[run.parentNodeId]?.name : undefined,
      },
      children: await Promise.all(
        children.map(async (c) => ({
          runId: c.runId,
          workflowId: c.workflowId,
          workflowName: await nameOf(c.workflowId),
          status: c.status,
        })),
      ),
    };
  });
}
