// The audit log of the workspace the caller acts in: filters (actor, action, target, UTC dates), pages newest
// first, CSV/JSON export of every matching entry. The instance owner also sees the instance view: entries recorded
// before any workspace was known, such as failed sign-ins. Needs audit.read (admins and owners).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useNavigation, useRouteError } from '@remix-run/react';
import { PageLoadError } from '../components/ui/PageLoadError';
import { AuditFilters } from '../components/audit/AuditFilters';
import { AuditTable, type AuditRow } from '../components/audit/AuditTable';
import auditCss from '../styles/audit.css?url';
import { routeErrorMessage } from '../lib/format';
import { auditEntryJson } from '../lib/audit-export.server';
import { INSTANCE_VIEW_REFUSAL, parseAuditQuery, type AuditQuery } from '../lib/audit-query.server';
import { requirePageCaller } from '../lib/auth.server';
import { AUDIT_ACTIONS, instanceAuditScope, listAudit } from '../../db/audit';
import { getWorkspace } from '../../db/workspaces';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: auditCss }];

export const meta: MetaFunction = () => [{ title: 'Audit log · Baton' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/audit');
  const search = new URL(request.url).searchParams;
  const instance = instanceAuditScope(caller.user);
  const workspace = await getWorkspace(caller.scope.workspaceId);
  const base = {
    actions: AUDIT_ACTIONS,
    workspaceName: workspace?.name ?? caller.scope.workspaceId,
    canSeeInstance: instance !== undefined,
    values: Object.fromEntries(search),
  };
  let query: AuditQuery;
  try {
    query = parseAuditQuery(search);
  } catch (err) {
    if (!(err instanceof Response)) throw err;
    const { error } = (await err.json()) as { error: { message: string } };
    return { ...base, error: error.message, rows: [] as AuditRow[], next: null, paged: false, filtered: true };
  }
  if (query.view === 'instance' && !instance) throw new Response(INSTANCE_VIEW_REFUSAL, { status: 403 });
  const page = await listAudit(query.view === 'instance' ? instance! : caller.scope, query.filter, {
    limit: query.limit,
    after: query.after,
  });
  const filtered = Object.keys(query.params).some((key) => key !== 'view');
  return {
    ...base,
    values: query.params,
    error: null,
    rows: page.entries.map(auditEntryJson) as AuditRow[],
    next: page.next ? new URLSearchParams({ ...query.params, cursor: page.next }).toString() : null,
    paged: query.after !== undefined,
    filtered,
  };
}

export default function AuditLog() {
  const { actions, workspaceName, canSeeInstance, values, error, rows, next, paged, filtered } =
    useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const busy = navigation.state === 'loading' && navigation.location.pathname === '/audit';
  const instance = values.view === 'instance';
  const firstPage = instance ? '?view=instance' : '?';
  const firstPageOfFilter = new URLSearchParams(values).toString();
  return (
    <main className="page">
      <div className="page-header">
        <div>
          <h1>Audit log</h1>
          <p className="muted">
            {instance
              ? 'Instance view: entries recorded before a workspace was known, such as failed sign-ins.'
              : `Who did what in ${workspaceName}, newest first.`}
          </p>
        </div>
        {canSeeInstance && (
          <nav className="audit-views" aria-label="Audit view">
            <Link className="btn small ghost" to="?" aria-current={instance ? undefined : 'page'}>
              This workspace
            </Link>
            <Link className="btn small ghost" to="?view=instance" aria-current={instance ? 'page' : undefined}>
              Instance
            </Link>
          </nav>
        )}
      </div>
      <AuditFilters key={firstPageOfFilter} values={values} actions={actions} busy={busy} />
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      <div aria-live="polite" className="visually-hidden">
        {busy ? 'Loading audit entries…' : `${rows.length} entries shown`}
      </div>
      {!error && rows.length === 0 ? (
        <div className="card empty">
          {filtered || paged ? (
            <>
              <h2>No entries match these filters</h2>
              <p>Widen the date range or clear a filter.</p>
              <Link className="btn" to={firstPage}>
                Clear filters
              </Link>
            </>
          ) : (
            <>
              <h2>No audit entries yet</h2>
              <p>
                Sign-ins, invitations, role changes, tokens, credentials, publishes and runs are recorded here as they
                happen.
              </p>
            </>
          )}
        </div>
      ) : (
        rows.length > 0 && (
          <div className={`card table-card${busy ? ' audit-busy' : ''}`} aria-busy={busy}>
            <AuditTable rows={rows} />
          </div>
        )
      )}
      {(paged || next) && (
        <nav className="audit-pager" aria-label="Pages">
          {paged ? (
            <Link className="btn small" to={`?${firstPageOfFilter}`}>
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
      <h1>Audit log</h1>
      <PageLoadError what="the audit log" message={message} />
    </main>
  );
}
