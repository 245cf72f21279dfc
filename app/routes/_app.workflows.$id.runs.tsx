// A workflow's runs: status, version, how it started, duration; a row opens the run on the canvas, and a run in
// progress can be cancelled or terminated from its row, and a row links to the run that started it and the runs it
// started (Execute workflow nodes, error workflows). Above the list: how long finished runs are kept.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useNavigate, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import { RetentionSettings } from '../components/runs/RetentionSettings';
import { RunFamily, shortRunId, type RunFamilyInfo } from '../components/runs/RunFamily';
import { RunStopControls } from '../components/runs/RunStopControls';
import { StatusBadge } from '../components/ui/StatusBadge';
import runPanelCss from '../styles/run-panel.css?url';
import { requirePageCaller } from '../lib/auth.server';
import { pageWorkflow } from '../lib/workflow-page.server';
import { dateTime, timeAgo } from '../lib/format';
import { durationLabel, runDurationMs } from '../lib/run-view';
import { retentionDefaults } from '../../db/retention';
import { mapLimit } from '../../contracts/map-limit';
import { getPlan } from '../../db/plans';
import { getRun, listChildRuns, listRuns } from '../../db/runs';
import type { RunView } from '../../contracts/run-record';
import { getWorkflow } from '../../db/workflows';
import type { WorkspaceScope } from '../../db/workspaces';

const MODE_LABELS: Record<string, string> = {
  manual: 'Manual',
  webhook: 'Webhook',
  schedule: 'Schedule',
  subworkflow: 'Another run',
  error: 'Error workflow',
};
/** Children listed per row; a run that started more links to the rest from its own run panel. */
const CHILDREN_PER_ROW = 10;

/** Each run's relatives, by `_id` and indexed equalities: a parent lookup and a child query per run, 8 at a time. */
async function familiesOf(scope: WorkspaceScope, runs: RunView[]): Promise<RunFamilyInfo[]> {
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

// The run panel's styles include the run-family links each row shows.
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: runPanelCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Runs · ${data?.workflow.name ?? 'Workflow'} · Baton` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/workflows/:id/runs');
  const workflow = await pageWorkflow(request, caller, params.id!);
  const runs = await listRuns(caller.scope, { workflowId: workflow.id, limit: 100 });
  const defaults = retentionDefaults();
  const families = await familiesOf(caller.scope, runs);
  return {
    workflow: { id: workflow.id, name: workflow.name, retention: workflow.retention },
    retentionDefaults: { days: defaults.days ?? null, runs: defaults.runs ?? null },
    runs: runs.map((r, i) => ({
      runId: r.runId,
      status: r.status,
      mode: r.mode,
      workflowVersion: r.workflowVersion ?? null,
      startedAt: r.startedAt.toISOString(),
      endedAt: r.endedAt?.toISOString(),
      error: r.error?.message ?? null,
      family: families[i],
    })),
  };
}

export default function WorkflowRuns() {
  const { workflow, runs, retentionDefaults } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const active = runs.some((r) => r.status === 'queued' || r.status === 'running');

  // While runs are in flight the list refreshes itself.
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), 2000);
    return () => clearInterval(timer);
  }, [active, revalidator]);

  return (
    <main className="page">
      <div className="page-header">
        <div>
          <p className="muted">
            <Link to="/">Workflows</Link> / <Link to={`/workflows/${workflow.id}`}>{workflow.name}</Link>
          </p>
          <h1>Runs</h1>
        </div>
        <Link className="btn primary" to={`/workflows/${workflow.id}`}>
          Open editor
        </Link>
      </div>
      <RetentionSettings workflowId={workflow.id} own={workflow.retention} defaults={retentionDefaults} />
      {runs.length === 0 ? (
        <div className="card empty">
          <h2>No runs yet</h2>
          <p>Open the editor and press Run, or publish the workflow and call its webhook.</p>
        </div>
      ) : (
        <div className="card table-card">
          <table className="table runs-table">
            <thead>
              <tr>
                <th>Status</th>
                <th>Run</th>
                <th>Version</th>
                <th>Trigger</th>
                <th>Started</th>
                <th>Duration</th>
                <th className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr
                  key={r.runId}
                  className="row-link"
                  onClick={() => navigate(`/workflows/${workflow.id}?run=${encodeURIComponent(r.runId)}`)}
                >
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td className="name-cell">
                    <Link
                      to={`/workflows/${workflow.id}?run=${encodeURIComponent(r.runId)}`}
                      className="mono"
                      title={r.runId}
                    >
                      {shortRunId(r.runId)}
                    </Link>
                    {r.error && (
                      <div className="error-text" title={r.error}>
                        {r.error.length > 90 ? `${r.error.slice(0, 90)}…` : r.error}
                      </div>
                    )}
                    {/* Its links open other runs, not this one. */}
                    <div onClick={(e) => e.stopPropagation()}>
                      <RunFamily family={r.family} />
                    </div>
                  </td>
                  <td>
                    {r.workflowVersion ? (
                      <span className="badge accent">v{r.workflowVersion}</span>
                    ) : (
                      <span className="muted">Draft</span>
                    )}
                  </td>
                  <td className="muted">{MODE_LABELS[r.mode] ?? r.mode}</td>
                  <td title={dateTime(r.startedAt)}>{timeAgo(r.startedAt)}</td>
                  <td>{durationLabel(runDurationMs(r)) || <span className="muted">—</span>}</td>
                  {/* Clicks in the controls and their dialog must not open the run. */}
                  <td className="actions" onClick={(e) => e.stopPropagation()}>
                    <RunStopControls
                      runId={r.runId}
                      status={r.status}
                      onChanged={() => revalidator.state === 'idle' && revalidator.revalidate()}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
