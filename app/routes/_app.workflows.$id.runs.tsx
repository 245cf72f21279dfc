// A workflow's runs: status, version, how it started, duration; a row opens the run on the canvas, and a run in
// progress can be cancelled or terminated from its row. Above the list: how long finished runs are kept.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useNavigate, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import { RetentionSettings } from '../components/runs/RetentionSettings';
import { RunStopControls } from '../components/runs/RunStopControls';
import { StatusBadge } from '../components/ui/StatusBadge';
import { requirePageUser } from '../lib/auth.server';
import { dateTime, timeAgo } from '../lib/format';
import { durationLabel, runDurationMs } from '../lib/run-view';
import { retentionDefaults } from '../../db/retention';
import { listRuns } from '../../db/runs';
import { getWorkflow } from '../../db/workflows';

const MODE_LABELS: Record<string, string> = { manual: 'Manual', webhook: 'Webhook', schedule: 'Schedule' };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Runs · ${data?.workflow.name ?? 'Workflow'} · Baton` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePageUser(request);
  const workflow = await getWorkflow(params.id!);
  if (!workflow) throw new Response('This workflow does not exist.', { status: 404 });
  const runs = await listRuns({ workflowId: workflow.id, limit: 100 });
  const defaults = retentionDefaults();
  return {
    workflow: { id: workflow.id, name: workflow.name, retention: workflow.retention },
    retentionDefaults: { days: defaults.days ?? null, runs: defaults.runs ?? null },
    runs: runs.map((r) => ({
      runId: r.runId,
      status: r.status,
      mode: r.mode,
      workflowVersion: r.workflowVersion ?? null,
      startedAt: r.startedAt.toISOString(),
      endedAt: r.endedAt?.toISOString(),
      error: r.error?.message ?? null,
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
                    <Link to={`/workflows/${workflow.id}?run=${encodeURIComponent(r.runId)}`} className="mono">
                      {r.runId.slice(0, 16)}
                    </Link>
                    {r.error && (
                      <div className="error-text" title={r.error}>
                        {r.error.length > 90 ? `${r.error.slice(0, 90)}…` : r.error}
                      </div>
                    )}
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
