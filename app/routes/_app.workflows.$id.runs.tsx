// A workflow's runs: the runs list of the workspace's runs page (filters, tag search, live rows, Load more, bulk
// cancel) with the workflow fixed, each row showing the version it ran and linking to the run that started it and
// the runs it started. Above the list: how long finished runs are kept.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useRouteError } from '@remix-run/react';
import { RetentionSettings } from '../components/runs/RetentionSettings';
import { RunsList } from '../components/runs/RunsList';
import { PageLoadError } from '../components/ui/PageLoadError';
import runPanelCss from '../styles/run-panel.css?url';
import runsCss from '../styles/runs.css?url';
import { requirePageCaller } from '../lib/auth.server';
import { routeErrorMessage } from '../lib/format';
import { familiesOf } from '../lib/run-families.server';
import { loadRunsPage } from '../lib/runs-page.server';
import { pageWorkflow } from '../lib/workflow-page.server';
import { retentionDefaults } from '../../db/retention';

// The run panel's styles include the run-family links each row shows.
export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: runsCss },
  { rel: 'stylesheet', href: runPanelCss },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Runs · ${data?.workflow.name ?? 'Workflow'} · Baton` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/workflows/:id/runs');
  const workflow = await pageWorkflow(request, caller, params.id!);
  const page = await loadRunsPage(request, caller, workflow.id);
  const families = await familiesOf(caller.scope, page.runs);
  const defaults = retentionDefaults();
  return {
    ...page,
    families: Object.fromEntries(page.runs.map((r, i) => [r.runId, families[i]])),
    workflow: { id: workflow.id, name: workflow.name, retention: workflow.retention },
    retentionDefaults: { days: defaults.days ?? null, runs: defaults.runs ?? null },
  };
}

export default function WorkflowRuns() {
  const data = useLoaderData<typeof loader>();
  const { workflow, retentionDefaults } = data;
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
      <RunsList data={data} workflow={workflow} families={data.families} />
    </main>
  );
}

export function ErrorBoundary() {
  const message = routeErrorMessage(useRouteError(), 'Unknown error');
  return (
    <main className="page runs-page">
      <h1>Runs</h1>
      <PageLoadError what="this workflow’s runs" message={message} />
      <Link className="btn" to="/">
        Back to workflows
      </Link>
    </main>
  );
}
