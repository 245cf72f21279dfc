// One approval request: what it asks, of whom (each level, with its deadline), where the rule stands, and its
// trail (asked, escalated, delegated, each decision with how it came, the comment, form values and edits). Anyone
// who may read the workspace sees it; deciding happens in the inbox. Another workspace's request is a 404.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useRouteError } from '@remix-run/react';
import { routeErrorMessage } from '../lib/format';
import { approvalView } from '../lib/approval-view';
import { approvalTrail } from '../lib/approvals.server';
import { requirePageCaller } from '../lib/auth.server';
import { can } from '../lib/caller.server';
import { getApproval } from '../../db/approvals';
import { dataJson, ruleText, STATUS_CLASS, STATUS_LABEL, timeLeftText } from '../components/approvals/approval-text';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.approval.title} · Approval · Baton` : 'Approval · Baton' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/approvals/:id');
  const approval = await getApproval(caller.scope, params.id ?? '');
  if (!approval) throw new Response(`Approval ${params.id} does not exist.`, { status: 404 });
  return {
    approval: approvalView(approval, caller.user.id),
    trail: await approvalTrail(caller, approval),
    canDecide: can(caller, 'approval.decide'),
    serverNow: Date.now(),
  };
}

const when = (iso: string) => new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

export default function ApprovalPage() {
  const { approval: a, trail, canDecide, serverNow } = useLoaderData<typeof loader>();
  const left = a.status === 'pending' ? timeLeftText(a.deadlineAt, serverNow) : undefined;
  return (
    <main className="page approval-page">
      <div className="page-header">
        <div>
          <p className="muted">
            <Link to="/inbox">Inbox</Link> / Approval
          </p>
          <h1>{a.title}</h1>
          <p className="muted">
            {a.workflowName} · {a.nodeName}
            {a.iteration ? ` (iteration ${a.iteration})` : ''} ·{' '}
            <Link to={`/runs/${encodeURIComponent(a.runId)}`}>run {a.runId}</Link>
          </p>
        </div>
        <span className={`badge ${STATUS_CLASS[a.status]}`} data-testid="approval-status">
          {STATUS_LABEL[a.status]}
        </span>
      </div>
      {a.you.canDecide && canDecide && (
        <div className="banner info">
          This request waits for your decision.{' '}
          <Link className="btn small primary" to="/inbox">
            Decide in the inbox
          </Link>
        </div>
      )}
      <section className="card">
        <dl className="approval-facts">
          {a.summary && (
            <>
              <dt>Summary</dt>
              <dd>{a.summary}</dd>
            </>
          )}
          <dt>Rule</dt>
          <dd>
            {ruleText(a.rule, a.progress.voters)}: {a.progress.approvals} approved, {a.progress.rejections} rejected of{' '}
            {a.progress.needed} needed
          </dd>
          <dt>Asked</dt>
          <dd>{when(a.createdAt)}</dd>
          {left && (
            <>
              <dt>Time left</dt>
              <dd>{left}</dd>
            </>
          )}
          {a.closedAt && (
            <>
              <dt>Closed</dt>
              <dd>{when(a.closedAt)}</dd>
            </>
          )}
          {a.barred.length > 0 && (
            <>
              <dt>Barred</dt>
              <dd>{a.barred.length} (the run’s starter or the workflow’s last publisher)</dd>
            </>
          )}
        </dl>
      </section>
      <section className="card">
        <h2 className="section-heading">Levels</h2>
        <ol className="approval-levels">
          {a.levels.map((level, i) => (
            <li key={level.openedAt + i}>
              <strong>{i === 0 ? 'Asked' : `Escalation ${i}`}:</strong> {level.from.join(', ') || 'no one'} ·{' '}
              {level.eligible.length} {level.eligible.length === 1 ? 'person' : 'people'} · opened{' '}
              {when(level.openedAt)}
              {level.deadlineAt ? ` · due ${when(level.deadlineAt)}` : ''}
            </li>
          ))}
        </ol>
      </section>
      <section className="card">
        <h2 className="section-heading">Data under review</h2>
        <pre className="approval-data-json" data-testid="approval-data">
          {dataJson(a.data) || 'No data was attached to this request.'}
        </pre>
      </section>
      <section className="card">
        <h2 className="section-heading">Trail</h2>
        <ol className="approval-trail" data-testid="approval-trail">
          {trail.map((entry, i) => (
            <li key={`${entry.at}-${i}`} data-kind={entry.kind}>
              <span className="muted mono">{when(entry.at)}</span>
              <div>
                <div>{entry.text}</div>
                {(entry.via || entry.ip || entry.comment || entry.form || entry.edits) && (
                  <div className="details">
                    {entry.via && <span>via {entry.via}</span>}
                    {entry.ip && <span> · from {entry.ip}</span>}
                    {entry.comment && <div>Comment: “{entry.comment}”</div>}
                    {entry.form && <div>Form: {JSON.stringify(entry.form)}</div>}
                    {entry.edits && (
                      <div>
                        Edited:{' '}
                        {entry.edits
                          .map((e) => `${e.path || '/'}: ${JSON.stringify(e.before)} → ${JSON.stringify(e.after)}`)
                          .join('; ')}
                      </div>
                    )}
                  </div>
                )}
              </div>
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}

export function ErrorBoundary() {
  const message = routeErrorMessage(useRouteError(), 'Unknown error');
  return (
    <main className="page">
      <h1>Approval</h1>
      <div className="banner error" role="alert">
        {message} <Link to="/inbox">Back to the inbox</Link>
      </div>
    </main>
  );
}
