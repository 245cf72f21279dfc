// A select of the workspace's data tables for the Data table node's inspector. The node stores only the id; the
// picked table's columns are listed under it (what Values and Conditions may name). "New table…" opens the Tables
// page in a new tab, and Reload picks up what was made there. A picked table that no longer exists is said so.
import { useCallback, useEffect, useState } from 'react';
import { COLUMN_TYPE_LABELS, type DataTableColumn } from '../../../contracts/data-tables';
import { ApiError, apiFetch } from '../../lib/api-client';

interface Option {
  id: string;
  name: string;
  columns: DataTableColumn[];
  rowCount: number;
}

type Listed = { status: 'loading' } | { status: 'ready'; tables: Option[] } | { status: 'error'; message: string };

export function DataTablePicker(props: {
  id: string;
  label: string;
  value: string | undefined;
  readOnly: boolean;
  invalid?: boolean;
  describedBy?: string;
  onChange(id: string | undefined): void;
}) {
  const { id, value } = props;
  const [listed, setListed] = useState<Listed>({ status: 'loading' });
  const load = useCallback(() => {
    setListed({ status: 'loading' });
    apiFetch<{ tables: Option[] }>('/api/data-tables').then(
      (r) => setListed({ status: 'ready', tables: r.tables }),
      (err: unknown) =>
        setListed({ status: 'error', message: err instanceof ApiError || err instanceof Error ? err.message : '' }),
    );
  }, []);
  useEffect(load, [load]);

  const tables = listed.status === 'ready' ? listed.tables : [];
  const picked = tables.find((t) => t.id === value);
  const missing = listed.status === 'ready' && value !== undefined && !picked;
  const statusId = `${id}-status`;
  return (
    <div className="credential-picker">
      <div className="workflow-picker-row">
        <select
          id={id}
          className={`select${props.invalid || missing ? ' invalid' : ''}`}
          aria-label={props.label}
          aria-invalid={props.invalid || missing || undefined}
          aria-describedby={[props.describedBy, statusId].filter(Boolean).join(' ')}
          disabled={props.readOnly || listed.status !== 'ready'}
          value={value ?? ''}
          onChange={(e) => props.onChange(e.target.value || undefined)}
        >
          <option value="">{listed.status === 'loading' ? 'Loading tables…' : 'Pick a table'}</option>
          {missing && <option value={value}>(missing table)</option>}
          {tables.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <button type="button" className="btn small" onClick={load} title="Reload the tables">
          Reload
        </button>
      </div>
      <div className="workflow-picker-status" id={statusId}>
        {listed.status === 'error' && <span className="error-text">Could not load the tables: {listed.message}</span>}
        {missing && (
          <span className="field-warning">
            This table no longer exists in this workspace; pick another, or the node fails when it runs.
          </span>
        )}
        {listed.status === 'ready' && tables.length === 0 && <span className="hint">No data table yet.</span>}
        {picked && (
          <span className="hint" data-testid="data-table-columns">
            {picked.columns.length === 0
              ? 'This table has no columns yet.'
              : `Columns: ${picked.columns.map((c) => `${c.name} (${COLUMN_TYPE_LABELS[c.type].toLowerCase()})`).join(', ')}`}
          </span>
        )}
        <a className="link-button" href={picked ? `/tables/${picked.id}` : '/tables'} target="_blank" rel="noreferrer">
          {picked ? 'Open table…' : 'New table…'}
        </a>
      </div>
    </div>
  );
}
