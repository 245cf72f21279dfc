// One run: the read-only canvas with each node's status, duration and attempts, the timeline of its node
// executions, the selected node's input, output and error, and the run's actions; live while it runs.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useRouteError } from '@remix-run/react';
import { ReactFlowProvider } from '@xyflow/react';
import flowCss from '@xyflow/react/dist/style.css?url';
import { useMemo } from 'react';
import { Canvas } from '../components/canvas/Canvas';
import { RunNodeDetail } from '../components/runs/RunNodeDetail';
import { RunPageActions, type RetryLink } from '../components/runs/RunPageActions';
import { RunStatusBadge } from '../components/runs/RunStatusBadge';
import { RunTakeoverBanner } from '../components/runs/RunTakeoverBanner';
import { RunTimeline } from '../components/runs/RunTimeline';
import { MODE_LABELS } from '../components/runs/RunsList';
import { useLiveRun } from '../components/runs/useLiveRun';
import { requirePageCaller } from '../lib/auth.server';
import { loadEditor } from '../lib/editor-data.server';
import { dateTime, routeErrorMessage } from '../lib/format';
import { durationLabel, runDurationMs } from '../lib/run-view';
import { waitingForPeople, type WaitingTakeover } from '../lib/run-takeovers';
import { WorkflowStoreProvider, useEditor, useWorkflowStore } from '../stores/workflow-store-context';
import agentsCss from '../styles/agents.css?url';
import canvasCss from '../styles/canvas.css?url';
import editorCss from '../styles/editor.css?url';
import runPanelCss from '../styles/run-panel.css?url';
import runsCss from '../styles/runs.css?url';
import { listRetriesOf } from '../../db/run-retries';
import { takeoversOfRun } from '../../db/browser-takeovers';
import { getRun } from '../../db/runs';
import { getUserById } from '../../db/users';
import { getVersion, getWorkflow } from '../../db/workflows';
import { maskSecrets } from '../../nodes/secret-params';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: flowCss },
  { rel: 'stylesheet', href: editorCss },
  { rel: 'stylesheet', href: canvasCss },
  { rel: 'stylesheet', href: runPanelCss },
  { rel: 'stylesheet', href: runsCss },
  { rel: 'stylesheet', href: agentsCss },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Run ${data?.viewedRun?.run.runId.slice(0, 16) ?? ''} · ${data?.workflow.name ?? 'Workflow'} · Baton` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/runs/:id');
  const run = await getRun(caller.scope, params.id!);
  if (!run) throw new Response(`Run ${params.id} does not exist in this workspace.`, { status: 404 });
  const workflow = await getWorkflow(caller.scope, run.workflowId);
  if (!workflow) throw new Response(`The workflow of run ${run.runId} has been deleted.`, { status: 404 });
  const editor = await loadEditor(caller.scope, workflow, run.runId);
  // A published version's run is drawn as that version, not as today's draft.
  const version = run.workflowVersion ? await getVersion(workflow.id, run.workflowVersion) : undefined;
  const [starter, retries, takeovers] = await Promise.all([
    run.startedBy ? getUserById(run.startedBy) : undefined,
    listRetriesOf(caller.scope, run.runId, 20),
    takeoversOfRun(run.runId),
  ]);
  return {
    ...editor,
    workflow: {
      ...editor.workflow,
      document: version ? JSON.parse(JSON.stringify(maskSecrets(version.document))) : editor.workflow.document,
    },
    startedByName: starter?.name ?? null,
    retries: retries.map((r) => ({ runId: r.runId, status: r.status })),
    // Browser steps waiting for a person (decision 059), linked from a banner that stays live.
    waitingForPeople: waitingForPeople(takeovers),
  };
}

export default function RunRoute() {
  const data = useLoaderData<typeof loader>();
  const init = {
    workflowId: data.workflow.id,
    name: data.workflow.name,
    revision: data.workflow.revision,
    document: data.workflow.document,
    specs: data.specs,
    diagnostics: [],
    run: data.viewedRun ?? undefined,
    readOnly: true,
  };
  return (
    <WorkflowStoreProvider key={data.viewedRun?.run.runId} init={init}>
      <ReactFlowProvider>
        <RunView startedByName={data.startedByName} retries={data.retries} waitingForPeople={data.waitingForPeople} />
      </ReactFlowProvider>
    </WorkflowStoreProvider>
  );
}

function RunView({
  startedByName,
  retries,
  waitingForPeople,
}: {
  startedByName: string | null;
  retries: RetryLink[];
  waitingForPeople: WaitingTakeover[];
}) {
  useLiveRun();
  const store = useWorkflowStore();
  const run = useEditor((s) => s.run!.run);
  const stepsById = useEditor((s) => s.run!.steps);
  const steps = useMemo(() => Object.values(stepsById), [stepsById]);
  const workflowName = useEditor((s) => s.name);
  const selected = useEditor((s) => s.nodes.find((n) => n.selected)?.id);
  const select = (nodeId: string) =>
    store
      .getState()
      .onNodesChange(
        store.getState().nodes.map((n) => ({ type: 'select' as const, id: n.id, selected: n.id === nodeId })),
      );
  const duration = runDurationMs(run);
  return (
    <main className="page run-page">
      <div>
        <p className="muted">
          <Link to="/runs">Runs</Link> / <Link to={`/workflows/${run.workflowId}/runs`}>{workflowName}</Link>
        </p>
        <div className="page-header">
          <h1 className="mono" title={run.runId}>
            {run.runId} <RunStatusBadge status={run.status} awaiting={run.awaiting} />
          </h1>
        </div>
        <div className="run-meta">
          <span>{MODE_LABELS[run.mode ?? 'manual'] ?? run.mode}</span>
          <span>{run.workflowVersion ? `v${run.workflowVersion}` : 'Draft'}</span>
          <span title={dateTime(run.startedAt)}>Started {dateTime(run.startedAt)}</span>
          {duration !== undefined && <span>Took {durationLabel(duration)}</span>}
          {startedByName && <span>by {startedByName}</span>}
          {Object.entries(run.tags ?? {}).map(([k, v]) => (
            <span key={k} className="tag-chip">
              {k}={v}
            </span>
          ))}
        </div>
        <RunTakeoverBanner runId={run.runId} running={run.status === 'running'} initial={waitingForPeople} />
        {run.error && (
          <div className="banner error" role="alert">
            {run.error.message}
            {run.error.code && <span className="muted"> ({run.error.code})</span>}
          </div>
        )}
        <RunPageActions run={run} retries={retries} onChanged={(next) => store.getState().mergeRunDetails(next, [])} />
      </div>
      <div className="run-canvas">
        <Canvas />
      </div>
      <div className="run-lower">
        <RunTimeline run={run} steps={steps} selected={selected} onSelect={select} />
        <RunNodeDetail runId={run.runId} step={selected ? stepsById[selected] : undefined} />
      </div>
    </main>
  );
}

export function ErrorBoundary() {
  const message = routeErrorMessage(useRouteError(), 'The run could not be loaded.');
  return (
    <main className="page run-page">
      <h1>Run</h1>
      <div className="banner error" role="alert">
        {message}
      </div>
      <Link className="btn" to="/runs">
        All runs
      </Link>
    </main>
  );
}
