// The caller's approval inbox in the workspace they act in: requests waiting for them (and their groups), with the
// run context, the form and the data; approve or reject one (confirmed), or several at once; keyboard j/k/x/a/r.
// The list refreshes when an approval event reaches the caller's user room (InboxNavLink). Needs approval.decide.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useNavigation, useRouteError } from '@remix-run/react';
import { PageLoadError } from '../components/ui/PageLoadError';
import { ApprovalInbox } from '../components/approvals/ApprovalInbox';
import { routeErrorMessage } from '../lib/format';
import { parseInboxFilter, type InboxFilter } from '../lib/approval-view';
import { inboxPage } from '../lib/approvals.server';
import { requirePageCaller } from '../lib/auth.server';
import inspectorCss from '../styles/inspector.css?url';
import takeoversCss from '../styles/takeovers.css?url';
import { TakeoverInboxList } from '../components/takeovers/TakeoverInboxList';
import { openTakeoversFor } from '../../db/browser-takeovers';

// The form's switches look as they do in the inspector; approvals.css comes with the app shell (_app.tsx).
export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: inspectorCss },
  { rel: 'stylesheet', href: takeoversCss },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.pendingCount ? `Inbox (${data.pendingCount}) · Baton` : 'Inbox · Baton' },
];

const FILTERS: Array<{ value: InboxFilter; label: string }> = [
  { value: 'pending', label: 'Waiting for me' },
  { value: 'decided', label: 'Decided' },
  { value: 'all', label: 'All' },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/inbox');
  const search = new URL(request.url).searchParams;
  const filter = parseInboxFilter(search.get('status'));
  if (!filter) throw new Response('status must be "pending", "decided" or "all".', { status: 400 });
  const page = await inboxPage(caller.scope, filter, { cursor: search.get('cursor') ?? undefined, limit: 30 });
  // Browsers waiting for a person (decision 059) head the list of what waits for the caller.
  const takeovers = filter === 'pending' ? await openTakeoversFor(caller.scope.workspaceId, caller.user.id) : [];
  return {
    filter,
    approvals: page.items,
    next: page.nextCursor ? new URLSearchParams({ status: filter, cursor: page.nextCursor }).toString() : null,
    paged: search.has('cursor'),
    pendingCount: page.pendingCount,
    takeovers,
    serverNow: Date.now(),
  };
}

export default function Inbox() {
  const { filter, approvals, next, paged, pendingCount, takeovers, serverNow } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const loading = navigation.state === 'loading' && navigation.location.pathname === '/inbox';
  return (
    <main className="page inbox-page">
      <div className="page-header">
        <div>
          <h1>Inbox</h1>
          <p className="muted">
            {pendingCount === 0
              ? 'No approvals are waiting for you.'
              : `${pendingCount} approval${pendingCount === 1 ? '' : 's'} waiting for you or your groups.`}
            {takeovers.length > 0 &&
              ` ${takeovers.length} browser${takeovers.length === 1 ? '' : 's'} waiting for a person.`}
          </p>
        </div>
        <nav className="inbox-filters" aria-label="Show">
          {FILTERS.map((f) => (
            <Link
              key={f.value}
              className="btn small ghost"
              to={f.value === 'pending' ? '?' : `?status=${f.value}`}
              aria-current={filter === f.value ? 'page' : undefined}
            >
              {f.label}
              {f.value === 'pending' && pendingCount > 0 ? ` (${pendingCount})` : ''}
            </Link>
          ))}
        </nav>
      </div>
      <div aria-live="polite" className="visually-hidden">
        {loading ? 'Loading approvals…' : `${approvals.length} approvals shown`}
      </div>
      <div className={loading ? 'inbox-loading' : undefined} aria-busy={loading}>
        <TakeoverInboxList takeovers={takeovers} serverNow={serverNow} />
        {/* The inbox stays mounted when its last request goes, so the note of what was just decided stays. */}
        <ApprovalInbox
          key={filter}
          approvals={approvals}
          serverNow={serverNow}
          empty={
            takeovers.length > 0 ? null : (
              <div className="card empty" data-testid="inbox-empty">
                <svg className="empty-art" viewBox="0 0 120 80" aria-hidden="true">
                  <rect x="14" y="18" width="92" height="52" rx="8" fill="#eeeefd" />
                  <path d="M14 46h28l6 10h24l6-10h28" fill="none" stroke="#5b5bd6" strokeWidth="3" />
                  <path d="M50 32l7 7 14-14" fill="none" stroke="#12a150" strokeWidth="4" strokeLinecap="round" />
                </svg>
                <h2>{filter === 'pending' ? 'All caught up' : 'Nothing here yet'}</h2>
                <p>
                  {filter === 'pending'
                    ? 'When a workflow asks you or one of your groups to approve something, it shows up here, and the Inbox link counts it.'
                    : 'Requests you were asked to decide appear here once they exist.'}
                </p>
              </div>
            )
          }
        />
      </div>
      {(paged || next) && (
        <nav className="inbox-pager" aria-label="Pages">
          {paged ? (
            <Link className="btn small" to={filter === 'pending' ? '?' : `?status=${filter}`}>
              ← Newest
            </Link>
          ) : (
            <span />
          )}
          {next && (
            <Link className="btn small" to={`?${next}`}>
              Older →
            </Link>
          )}
        </nav>
      )}
    </main>
  );
}

export function ErrorBoundary() {
  const message = routeErrorMessage(useRouteError(), 'Unknown error');
  return (
    <main className="page">
      <h1>Inbox</h1>
      <PageLoadError what="your approvals" message={message} />
    </main>
  );
}
