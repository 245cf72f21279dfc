// The workspace's credentials (docs/decisions/037-credential-vault.md): type, name, last change and how many
// workflows use each; create (with a type picker), edit with secret fields masked and never sent back, test the
// connection, and delete with a warning naming the workflows that use it. `?new=<type>` opens the create form
// (the inspector's "New credential…" link). Changing needs credential.write.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useRevalidator, useRouteError, useSearchParams } from '@remix-run/react';
import { useState } from 'react';
import { BrowserSessions, type BrowserSessionItem } from '../components/credentials/BrowserSessions';
import { CredentialForm, type CredentialRow } from '../components/credentials/CredentialForm';
import { ConfirmDialog } from '../components/ui/ConfirmDialog';
import { RowActions } from '../components/ui/RowActions';
import credentialsCss from '../styles/credentials.css?url';
import { ApiError, apiFetch } from '../lib/api-client';
import { requirePageCaller } from '../lib/auth.server';
import { browserSessionRows, sessionWorkflowChoices } from '../lib/browser-session-api.server';
import { can } from '../lib/caller.server';
import { credentialJson, credentialTypeList } from '../lib/credential-api.server';
import { routeErrorMessage, timeAgo } from '../lib/format';
import { listCredentials } from '../../db/credentials';
import { credentialUsers } from '../../db/credential-usage';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: credentialsCss }];

export const meta: MetaFunction = () => [{ title: 'Credentials · Baton' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/credentials');
  const [credentials, users, sessions, sessionWorkflows] = await Promise.all([
    listCredentials(caller.scope),
    credentialUsers(caller.scope),
    browserSessionRows(caller.scope),
    sessionWorkflowChoices(caller.scope),
  ]);
  return {
    credentials: credentials.map((c) => credentialJson(c, users.get(c.id))),
    sessions,
    sessionWorkflows,
    types: credentialTypeList(),
    canWrite: can(caller, 'credential.write'),
  };
}

export default function Credentials() {
  const data = useLoaderData<typeof loader>();
  const credentials = data.credentials as unknown as CredentialRow[];
  const revalidator = useRevalidator();
  const [search, setSearch] = useSearchParams();
  const newType = search.get('new');
  const [form, setForm] = useState<{ editing: CredentialRow | null; type?: string } | null>(
    newType !== null && data.canWrite ? { editing: null, type: newType || undefined } : null,
  );
  const [deleting, setDeleting] = useState<CredentialRow | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [deletePending, setDeletePending] = useState(false);
  const titleOf = (type: string) => data.types.find((t) => t.type === type)?.title ?? type;

  const closeForm = () => {
    setForm(null);
    if (newType !== null) setSearch({}, { replace: true });
  };
  const remove = async (credential: CredentialRow) => {
    setDeletePending(true);
    setDeleteError(null);
    try {
      const force = credential.usedBy.length > 0 ? '?force=1' : '';
      await apiFetch(`/api/credentials/${credential.id}${force}`, { method: 'DELETE' });
      setDeleting(null);
      revalidator.revalidate();
    } catch (err) {
      setDeleteError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setDeletePending(false);
    }
  };

  const newButton = (label: string) => (
    <button className="btn primary" type="button" onClick={() => setForm({ editing: null })}>
      {label}
    </button>
  );

  return (
    <main className="page">
      <div className="page-header">
        <div>
          <h1>Credentials</h1>
          <p className="muted">
            Keys and passwords for the services your workflows call. Secrets are encrypted and never shown again; nodes
            refer to a credential by name.
          </p>
        </div>
        {credentials.length > 0 && data.canWrite && newButton('New credential')}
      </div>
      {revalidator.state === 'loading' && (
        <p className="muted" role="status">
          <span className="spinner" /> Updating…
        </p>
      )}
      {credentials.length === 0 ? (
        <div className="card empty">
          <h2>No credentials yet</h2>
          {data.canWrite ? (
            <>
              <p>Add an API key, a password or an OAuth2 client, then pick it in an HTTP request node.</p>
              {newButton('Add your first credential')}
            </>
          ) : (
            <p>Your role in this workspace lets you see credentials; an editor or admin adds them.</p>
          )}
        </div>
      ) : (
        <div className="card table-card">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th>Used by</th>
                <th>Updated</th>
                <th className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {credentials.map((c) => (
                <tr key={c.id}>
                  <td className="name-cell">{c.name}</td>
                  <td>{titleOf(c.type)}</td>
                  <td title={c.usedBy.map((u) => u.workflowName).join(', ') || undefined}>
                    {c.usedBy.length === 0 ? (
                      <span className="muted">No workflows</span>
                    ) : (
                      `${c.usedBy.length} workflow${c.usedBy.length === 1 ? '' : 's'}`
                    )}
                  </td>
                  <td className="muted" title={new Date(c.updatedAt).toISOString()}>
                    {timeAgo(c.updatedAt)}
                  </td>
                  <td className="actions">
                    {data.canWrite && (
                      <RowActions
                        name={c.name}
                        editLabel="Edit"
                        onEdit={() => setForm({ editing: c })}
                        onDelete={() => {
                          setDeleteError(null);
                          setDeleting(c);
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <BrowserSessions
        sessions={data.sessions as unknown as BrowserSessionItem[]}
        workflows={data.sessionWorkflows}
        canDelete={data.canWrite}
      />

      {form && (
        <CredentialForm
          open
          types={data.types}
          editing={form.editing}
          initialType={form.type}
          onSaved={() => {
            closeForm();
            revalidator.revalidate();
          }}
          onClose={closeForm}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete “${deleting?.name ?? ''}”?`}
        confirmLabel={deleting?.usedBy.length ? 'Delete anyway' : 'Delete credential'}
        danger
        pending={deletePending}
        error={deleteError}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && void remove(deleting)}
      >
        {deleting && deleting.usedBy.length > 0 ? (
          <div className="banner warning">
            Used by {deleting.usedBy.length} workflow{deleting.usedBy.length === 1 ? '' : 's'}; their nodes fail when
            they run without it:
            <ul className="credential-usage">
              {deleting.usedBy.map((u) => (
                <li key={u.workflowId}>
                  <a href={`/workflows/${u.workflowId}`}>{u.workflowName}</a> ({u.nodes.join(', ')})
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p>No workflow uses it. Its secret is deleted with it and cannot be recovered.</p>
        )}
      </ConfirmDialog>
    </main>
  );
}

export function ErrorBoundary() {
  const message = routeErrorMessage(useRouteError(), 'Something went wrong.');
  return (
    <main className="page">
      <h1>Credentials</h1>
      <div className="banner error" role="alert">
        Could not show the credentials: {message}
      </div>
    </main>
  );
}
