// One data table: its rows in an editable grid (app/components/tables/TableGrid.tsx) with search, a column filter and
// paging, and its schema: add, rename, change or remove columns, rename the table. Viewers read; changing needs
// workflow.write, and every change goes through /api/data-tables (docs/decisions/050-data-tables.md).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useRouteError } from '@remix-run/react';
import { useEffect, useState } from 'react';
import {
  CONDITION_LABELS,
  CONDITION_OPERATORS,
  type ConditionOperator,
  type DataTableColumn,
  type DataTableRow,
  type DataTableView,
} from '../../contracts/data-tables';
import { ColumnDialog } from '../components/tables/ColumnDialog';
import { TableGrid } from '../components/tables/TableGrid';
import { TableNameDialog } from '../components/tables/TableNameDialog';
import { useRows, type GridQuery } from '../components/tables/useRows';
import { ConfirmDialog } from '../components/ui/ConfirmDialog';
import { ApiError, apiFetch } from '../lib/api-client';
import { requirePageCaller } from '../lib/auth.server';
import { can } from '../lib/caller.server';
import { routeErrorMessage } from '../lib/format';
import tablesCss from '../styles/tables.css?url';
import { getDataTable } from '../../db/data-tables';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: tablesCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.table.name ?? 'Table'} · Tables · Baton` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/tables/:id');
  const table = await getDataTable(caller.scope, params.id!);
  if (!table)
    throw new Response(`No data table ${params.id} in this workspace; it may have been deleted.`, { status: 404 });
  return { table, canWrite: can(caller, 'workflow.write') };
}

const PAGE_SIZE = 50;
const messageOf = (err: unknown) => (err instanceof ApiError || err instanceof Error ? err.message : String(err));

export default function TablePage() {
  const data = useLoaderData<typeof loader>();
  const [table, setTable] = useState(data.table as unknown as DataTableView);
  useEffect(() => setTable(data.table as unknown as DataTableView), [data.table]);
  const { canWrite } = data;
  const [query, setQuery] = useState<GridQuery>({ offset: 0, limit: PAGE_SIZE, search: '' });
  const [searchText, setSearchText] = useState('');
  const [filter, setFilter] = useState<{ column: string; operator: ConditionOperator; value: string }>({
    column: '',
    operator: 'eq',
    value: '',
  });
  const { state, reload, replaceRow } = useRows(table.id, query);
  const [columnDialog, setColumnDialog] = useState<{ editing?: DataTableColumn } | null>(null);
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState<DataTableRow | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  // Search and filter apply a moment after typing stops, from the first page.
  useEffect(() => {
    const timer = setTimeout(
      () =>
        setQuery((q) => ({
          ...q,
          offset: 0,
          search: searchText,
          filter: filter.column ? filter : undefined,
        })),
      250,
    );
    return () => clearTimeout(timer);
  }, [searchText, filter]);

  const schemaChanged = (next: DataTableView) => {
    setTable(next);
    setColumnDialog(null);
    reload();
  };
  const saveCell = async (row: DataTableRow, column: DataTableColumn, value: unknown) => {
    try {
      const { row: saved } = await apiFetch<{ row: DataTableRow }>(`/api/data-tables/${table.id}/rows/${row.id}`, {
        method: 'PATCH',
        body: { values: { [column.name]: value } },
      });
      replaceRow(saved);
      return null;
    } catch (err) {
      return messageOf(err);
    }
  };
  const addRow = async (values: Record<string, unknown>) => {
    try {
      await apiFetch(`/api/data-tables/${table.id}/rows`, { method: 'POST', body: { values } });
      setTable((t) => ({ ...t, rowCount: t.rowCount + 1 }));
      // New rows come last: show the page that holds it.
      const last = Math.floor(state.total / PAGE_SIZE) * PAGE_SIZE;
      if (last === query.offset) reload();
      else setQuery((q) => ({ ...q, offset: last }));
      return null;
    } catch (err) {
      return messageOf(err);
    }
  };
  const deleteRow = async (row: DataTableRow) => {
    setDeleteError(null);
    try {
      await apiFetch(`/api/data-tables/${table.id}/rows/${row.id}`, { method: 'DELETE' });
      setDeleting(null);
      setTable((t) => ({ ...t, rowCount: Math.max(0, t.rowCount - 1) }));
      reload();
    } catch (err) {
      setDeleteError(messageOf(err));
    }
  };

  const first = query.offset + 1;
  const last = Math.min(query.offset + state.rows.length, state.total);
  const filtered = Boolean(query.search || query.filter);
  return (
    <main className="page tables-page">
      <div className="page-header">
        <div>
          <Link to="/tables" className="back-link">
            ← Tables
          </Link>
          <h1>{table.name}</h1>
          <p className="muted">
            {table.rowCount.toLocaleString('en')} row{table.rowCount === 1 ? '' : 's'} · {table.columns.length} column
            {table.columns.length === 1 ? '' : 's'}
            {canWrite && ' · Click a column to change it; arrow keys move, Enter edits.'}
          </p>
        </div>
        {canWrite && (
          <div className="header-actions">
            <button className="btn" type="button" onClick={() => setRenaming(true)}>
              Rename
            </button>
            <button className="btn primary" type="button" onClick={() => setColumnDialog({})}>
              Add column
            </button>
          </div>
        )}
      </div>

      {table.columns.length === 0 ? (
        <div className="card empty">
          <h2>No columns yet</h2>
          {canWrite ? (
            <>
              <p>Add a column for each thing a row records, such as “Email” (text) or “Laptop issued” (yes / no).</p>
              <button className="btn primary" type="button" onClick={() => setColumnDialog({})}>
                Add the first column
              </button>
            </>
          ) : (
            <p>An editor adds this table’s columns.</p>
          )}
        </div>
      ) : (
        <>
          <div className="grid-toolbar" role="search">
            <input
              className="input search"
              type="search"
              aria-label="Search rows"
              placeholder="Search rows"
              value={searchText}
              onChange={(e) => setSearchText(e.target.value)}
            />
            <select
              className="select"
              aria-label="Filter column"
              value={filter.column}
              onChange={(e) => setFilter({ ...filter, column: e.target.value })}
            >
              <option value="">Filter by column…</option>
              {table.columns.map((c) => (
                <option key={c.id} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
            {filter.column && (
              <>
                <select
                  className="select"
                  aria-label="Filter operator"
                  value={filter.operator}
                  onChange={(e) => setFilter({ ...filter, operator: e.target.value as ConditionOperator })}
                >
                  {CONDITION_OPERATORS.map((op) => (
                    <option key={op} value={op}>
                      {CONDITION_LABELS[op]}
                    </option>
                  ))}
                </select>
                {filter.operator !== 'isEmpty' && filter.operator !== 'isNotEmpty' && (
                  <input
                    className="input"
                    aria-label="Filter value"
                    placeholder="Value"
                    value={filter.value}
                    onChange={(e) => setFilter({ ...filter, value: e.target.value })}
                  />
                )}
                <button
                  className="btn ghost small"
                  type="button"
                  onClick={() => setFilter({ column: '', operator: 'eq', value: '' })}
                >
                  Clear filter
                </button>
              </>
            )}
            <span className="spacer" />
            <span className="muted" role="status" aria-live="polite">
              {state.status === 'loading' ? (
                <>
                  <span className="spinner" /> Loading rows…
                </>
              ) : state.total === 0 ? (
                filtered ? (
                  'No matching rows'
                ) : (
                  'No rows'
                )
              ) : (
                `Rows ${first}–${last} of ${state.total.toLocaleString('en')}${filtered ? ' matching' : ''}`
              )}
            </span>
            <button
              className="btn small"
              type="button"
              disabled={query.offset === 0}
              onClick={() => setQuery((q) => ({ ...q, offset: Math.max(0, q.offset - PAGE_SIZE) }))}
            >
              Previous
            </button>
            <button
              className="btn small"
              type="button"
              disabled={query.offset + PAGE_SIZE >= state.total}
              onClick={() => setQuery((q) => ({ ...q, offset: q.offset + PAGE_SIZE }))}
            >
              Next
            </button>
          </div>
          {state.status === 'error' && (
            <div className="banner error" role="alert">
              Could not load the rows: {state.message}{' '}
              <button className="btn small" type="button" onClick={reload}>
                Retry
              </button>
            </div>
          )}
          <TableGrid
            table={table}
            rows={state.rows}
            offset={query.offset}
            canWrite={canWrite}
            onSaveCell={saveCell}
            onAddRow={addRow}
            onDeleteRow={(row) => {
              setDeleteError(null);
              setDeleting(row);
            }}
            onEditColumn={(column) => setColumnDialog({ editing: column })}
          />
          {state.status === 'ready' && state.rows.length === 0 && (
            <p className="muted grid-empty">
              {filtered
                ? 'No rows match the search or filter.'
                : canWrite
                  ? 'No rows yet: type values in the last line and press Enter, or insert rows from a workflow.'
                  : 'No rows yet.'}
            </p>
          )}
        </>
      )}

      {columnDialog && (
        <ColumnDialog
          table={table}
          editing={columnDialog.editing}
          onDone={schemaChanged}
          onClose={() => setColumnDialog(null)}
        />
      )}
      {renaming && (
        <TableNameDialog
          renaming={table}
          onClose={() => setRenaming(false)}
          onDone={(next) => {
            setTable(next);
            setRenaming(false);
          }}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this row?"
        confirmLabel="Delete row"
        danger
        error={deleteError}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && void deleteRow(deleting)}
      >
        <p>Workflows that look it up will no longer find it.</p>
      </ConfirmDialog>
    </main>
  );
}

export function ErrorBoundary() {
  const message = routeErrorMessage(useRouteError(), 'The table could not be loaded.');
  return (
    <main className="page">
      <h1>Table</h1>
      <div className="banner error" role="alert">
        {message}
      </div>
      <Link className="btn" to="/tables">
        All tables
      </Link>
    </main>
  );
}
