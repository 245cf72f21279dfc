// GET /api/runs/:id: one run with its status, trigger, output and error; the runs it started (`children`: Execute
// workflow nodes, its error workflow), each with its workflow's name; and, for a run another started, that run
// (`parent`: its workflow and the node that started this one, by name). An output over 16 KB comes as a preview
// with a download link (see lib/stored-values.server).
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { clientRun } from '../lib/stored-values.server';
import { getPlan } from '../../db/plans';
import { getRun, listChildRuns } from '../../db/runs';
import { getWorkflow } from '../../db/workflows';
import type { WorkspaceScope } from '../../db/workspaces';

const handle = apiHandler('/api/runs/:id', {
  GET: async ({ params, caller }) => {
    const run = await clientRun(caller.scope, params.id!);
    if (!run) return apiError(404, `Run ${params.id} does not exist.`);
    const [childRuns, parentRun] = await Promise.all([
      listChildRuns(caller.scope, run.runId),
      run.parentRunId ? getRun(caller.scope, run.parentRunId) : undefined,
    ]);
    const names = await workflowNames(caller.scope, [...childRuns.map((c) => c.workflowId), parentRun?.workflowId]);
    const children = childRuns.map(({ trigger: _t, output: _o, ...child }) => ({
      ...child,
      workflowName: names.get(child.workflowId),
    }));
    const parent = parentRun && {
      runId: parentRun.runId,
      workflowId: parentRun.workflowId,
      workflowName: names.get(parentRun.workflowId),
      status: parentRun.status,
      nodeId: run.parentNodeId,
      nodeName: run.parentNodeId ? (await getPlan(parentRun.planHash))?.nodes[run.parentNodeId]?.name : undefined,
    };
    return json({ run, children, ...(parent ? { parent } : {}) });
  },
});

/** Names of the (distinct) workflows; an archived or deleted one has none. */
async function workflowNames(scope: WorkspaceScope, ids: Array<string | undefined>): Promise<Map<string, string>> {
  const distinct = [...new Set(ids.filter((id): id is string => id !== undefined))];
  const found = await Promise.all(distinct.map(async (id) => [id, (await getWorkflow(scope, id))?.name] as const));
  return new Map(found.filter((f): f is readonly [string, string] => f[1] !== undefined));
}

export const loader = handle;
export const action = handle;
