// What the runs pages load (the workspace's /runs, and a workflow's /workflows/:id/runs, whose workflow is fixed):
// the first page of the filtered list (the same query and JSON as GET /api/runs), plus the names its filter bar and
// rows show.
import { listRunPage } from '../../db/run-list';
import { listWorkflows } from '../../db/workflows';
import { listMembers } from '../../db/workspaces';
import { getUserById } from '../../db/users';
import type { Caller } from './caller.server';
import { runListFilter, runListQuery } from './run-list.server';
import { apiError } from './http.server';
import type { RunInfo } from '../../contracts/run-record';

const plain = <T>(value: unknown): T => JSON.parse(JSON.stringify(value ?? null)) as T;

export async function loadRunsPage(request: Request, caller: Caller, fixedWorkflowId?: string) {
  const query = runListQuery(request);
  if (fixedWorkflowId) query.workflowId = fixedWorkflowId;
  const filter = runListFilter(query);
  const [page, workflows, members] = await Promise.all([
    listRunPage(caller.scope, filter, { cursor: query.cursor, limit: query.limit }).catch((err: unknown) => {
      if (err instanceof RangeError) throw apiError(400, `Invalid request: cursor: ${err.message}.`);
      throw err;
    }),
    listWorkflows(caller.scope, { limit: 500 }),
    listMembers(caller.scope),
  ]);
  const users = await Promise.all(members.map((m) => getUserById(m.userId)));
  return {
    runs: plain<RunInfo[]>(page.runs.map(({ trigger: _t, output: _o, planHash: _p, ...run }) => run)),
    nextCursor: page.nextCursor ?? null,
    workflows: workflows.map((w) => ({ id: w.id, name: w.name })),
    members: members.flatMap((m, i) => (users[i] ? [{ id: m.userId, name: users[i]!.name }] : [])),
    query: {
      workflowId: query.workflowId ?? '',
      status: query.status ?? '',
      mode: query.mode ?? '',
      startedBy: query.startedBy ?? '',
      from: query.from ?? '',
      to: query.to ?? '',
      q: query.q ?? query.tag ?? query.runId ?? '',
    },
  };
}

export type RunsPageData = Awaited<ReturnType<typeof loadRunsPage>>;
