// The agent activity feed (/agents): what the workspace's LLM and Agent nodes are doing across runs, live — model
// calls with the text arriving, tool calls, tool calls waiting for the caller's approval — with tokens and costs,
// the last 30 days' totals on top, filtered by workflow and agent node (app/components/agents/).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useRouteError } from '@remix-run/react';
import { AgentActivity } from '../components/agents/AgentActivity';
import { ToolApprovals } from '../components/agents/ToolApprovals';
import { UsageSummary } from '../components/agents/UsageSummary';
import { useAgentActivity } from '../components/agents/useAgentActivity';
import { requirePageCaller } from '../lib/auth.server';
import { can } from '../lib/caller.server';
import { routeErrorMessage } from '../lib/format';
import agentsCss from '../styles/agents.css?url';
import { listWorkflows } from '../../db/workflows';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: agentsCss }];

export const meta: MetaFunction = () => [{ title: 'Agent activity · Baton' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/agents');
  const search = new URL(request.url).searchParams;
  const workflows = await listWorkflows(caller.scope, { limit: 500 });
  return {
    workspaceId: caller.scope.workspaceId,
    workflows: workflows.map((w) => ({ id: w.id, name: w.name })),
    filter: { workflowId: search.get('workflowId') ?? '', node: (search.get('node') ?? '').trim() },
    canDecide: can(caller, 'approval.decide'),
  };
}

export default function AgentsPage() {
  const { workspaceId, workflows, filter, canDecide } = useLoaderData<typeof loader>();
  const activity = useAgentActivity(workspaceId, filter);
  return (
    <main className="page agents-page">
      <div className="page-header">
        <div>
          <h1>Agent activity</h1>
          <p className="muted">
            What LLM and Agent nodes are doing across runs: model calls, tool calls and their costs, as they happen.
          </p>
        </div>
      </div>
      <UsageSummary workflowId={filter.workflowId} refreshKey={activity.ended} />
      {canDecide && <ToolApprovals workspaceId={workspaceId} filter={filter} refreshKey={activity.ended} />}
      <AgentActivity filter={filter} workflows={workflows} activity={activity} />
    </main>
  );
}

export function ErrorBoundary() {
  const message = routeErrorMessage(useRouteError(), 'The agent activity could not be loaded.');
  return (
    <main className="page agents-page">
      <h1>Agent activity</h1>
      <div className="banner error" role="alert">
        {message}
      </div>
      <Link className="btn" to="/agents">
        Show all agent activity
      </Link>
    </main>
  );
}
