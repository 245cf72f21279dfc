// A workflow's runs: the runs list of /runs (app/components/runs/RunsList.tsx) fixed to this workflow, with the
// workflow's retention settings above it. A row opens the run page; a run in progress can be stopped from its row.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { RetentionSettings } from '../components/runs/RetentionSettings';
import { RunsList } from '../components/runs/RunsList';
import runPanelCss from '../styles/run-panel.css?url';
import runsCss from '../styles/runs.css?url';
import { requirePageCaller } from '../lib/auth.server';
import { loadRunsPage } from '../lib/runs-page.server';
import { pageWorkflow } from '../lib/workflow-page.server';
import { retentionDefaults } from '../../db/retention';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: runPanelCss },
  { rel: 'stylesheet', href: runsCss },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Runs · ${data?.workflow.name ?? 'Workflow'} · Baton` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/workflows/:id/runs');
  const workflow = await pageWorkflow(request, caller, params.id!);
  const defaults = retentionDefaults();
  return {
    workflow: { id: workflow.id, name: workflow.name, retention: workflow.retention },
    retentionDefaults: { days: defaults.days ?? null, runs: defaults.runs ?? null },
    list: await loadRunsPage(request, caller, workflow.id),
  };
}

export default function WorkflowRuns() {
  const { workflow, list, retentionDefaults } = useLoaderData<typeof loader>();
  return (
    <main className="page runs-page">
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
      <RunsList data={list} fixedWorkflowId={workflow.id} />
    </main>
  );
}
