// The workspace's data tables (docs/decisions/050-data-tables.md): name, columns, rows and last change, each opening
// its grid editor; create, rename and delete (with its rows). Changing needs workflow.write; viewers read.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useNavigate, useRevalidator, useRouteError } from '@remix-run/react';
import { useState } from 'react';
import type { DataTableView } from '../../contracts/data-tables';
import { TableNameDialog } from '../components/tables/TableNameDialog';
import { ConfirmDialog } from '../components/ui/ConfirmDialog';
import { RowActions } from '../components/ui/RowActions';
import { ApiError, apiFetch } from '../lib/api-client';
import { requirePageCaller } from '../lib/auth.server';
import { can } from '../lib/caller.server';
import { routeErrorMessage, timeAgo } from '../lib/format';
import tablesCss from '../styles/tables.css?url';
import { listDataTables } from '../../db/data-tables';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: tablesCss }];

export const meta: MetaFunction = () => [{ title: 'Tables · Baton' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/tables');
  return { tables: await listDataTables(caller.scope), canWrite: can(caller, 'workflow.write') };
}

type TableRow = Pick<DataTableView, 'id' | 'name' | 'rowCount'> & { columns: unknown[]; updatedAt: string };

export default function Tables() {
  const data = useLoaderData<typeof loader>();
  const tables = data.tables as unknown as TableRow[];
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const [dialog, setDialog] = useState<{ renaming?: TableRow } | null>(null);
  const [deleting, setDeleting] = useState<TableRow | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [deletePending, setDeletePending] = useState(false);

  const remove = async (table: TableRow) => {
    setDeletePending(true);
    setDeleteError(null);
    try {
      await apiFetch(`/api/data-tables/${table.id}`, { method: 'DELETE' });
      setDeleting(null);
      revalidator.revalidate();
    } catch (err) {
      setDeleteError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setDeletePending(false);
    }
  };

  const newButton = (label: string) => (
    <button className="btn primary" type="button" onClick={() => setDialog({})}>
      {label}
    </button>
  );

  return (
    <main className="page">
      <div className="page-header">
        <div>
          <h1>Tables</h1>
          <p className="muted">
            Data your workflows keep between runs: checklists, lookups, who got which laptop. Each table has typed
            columns; the Data table node reads and writes its rows.
          </p>
        </div>
        {tables.length > 0 && data.canWrite && newButton('New table')}
      </div>
      {tables.length === 0 ? (
        <div className="card empty">
          <h2>No data tables yet</h2>
          {data.canWrite ? (
            <>
              <p>Create a table, add its columns, then insert or look up rows with the Data table node.</p>
              {newButton('Create your first table')}
            </>
          ) : (
            <p>Your role in this workspace lets you read tables; an editor or admin creates them.</p>
          )}
        </div>
      ) : (
        <div className="card table-card">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Columns</th>
                <th>Rows</th>
                <th>Updated</th>
                <th className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tables.map((t) => (
                <tr key={t.id}>
                  <td className="name-cell">
                    <Link to={`/tables/${t.id}`}>{t.name}</Link>
                  </td>
                  <td>{t.columns.length}</td>
                  <td>{t.rowCount.toLocaleString('en')}</td>
                  <td className="muted" title={new Date(t.updatedAt).toISOString()}>
                    {timeAgo(t.updatedAt)}
                  </td>
                  <td className="actions">
                    {data.canWrite && (
                      <RowActions
                        name={t.name}
                        editLabel="Rename"
                        onEdit={() => setDialog({ renaming: t })}
                        onDelete={() => {
                          setDeleteError(null);
                          setDeleting(t);
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
      {dialog && (
        <TableNameDialog
          renaming={dialog.renaming}
          onClose={() => setDialog(null)}
          onDone={(table) => {
            setDialog(null);
            if (dialog.renaming) revalidator.revalidate();
            else navigate(`/tables/${table.id}`);
          }}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete table"
        danger
        pending={deletePending}
        error={deleteError}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && void remove(deleting)}
      >
        <p>
          Its {deleting?.rowCount.toLocaleString('en')} rows are deleted with it. Data table nodes that use it fail
          until they pick another table.
        </p>
      </ConfirmDialog>
    </main>
  );
}

export function ErrorBoundary() {
  const message = routeErrorMessage(useRouteError(), 'Something went wrong.');
  return (
    <main className="page">
      <h1>Tables</h1>
      <div className="banner error" role="alert">
        Could not show the tables: {message}
      </div>
    </main>
  );
}
