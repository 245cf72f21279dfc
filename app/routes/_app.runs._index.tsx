// The workspace's runs (/runs): every workflow's, filtered by workflow, status, trigger, starter and dates,
// searched by run id or tag, newest first, live (app/components/runs/RunsList.tsx).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useRouteError } from '@remix-run/react';
import { RunsList } from '../components/runs/RunsList';
import { routeErrorMessage } from '../lib/format';
import { requirePageCaller } from '../lib/auth.server';
import { loadRunsPage } from '../lib/runs-page.server';
import runsCss from '../styles/runs.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: runsCss }];

export const meta: MetaFunction = () => [{ title: 'Runs · Baton' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/runs');
  return loadRunsPage(request, caller);
}

export default function RunsPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <main className="page runs-page">
      <div className="page-header">
        <div>
          <h1>Runs</h1>
          <p className="muted">Every run of this workspace’s workflows, newest first.</p>
        </div>
      </div>
      <RunsList data={data} />
    </main>
  );
}

export function ErrorBoundary() {
  const message = routeErrorMessage(useRouteError(), 'The runs could not be loaded.');
  return (
    <main className="page runs-page">
      <h1>Runs</h1>
      <div className="banner error" role="alert">
        {message}
      </div>
      <Link className="btn" to="/runs">
        Show all runs
      </Link>
    </main>
  );
}
