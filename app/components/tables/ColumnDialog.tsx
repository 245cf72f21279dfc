// Add a column (name, type, required, unique), or change one: rename it, make it required or unique (the server
// refuses, naming the rows, when they do not allow it), or remove it with its values after a second click.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  COLUMN_TYPE_LABELS,
  COLUMN_TYPES,
  columnNameProblem,
  type ColumnType,
  type DataTableColumn,
  type DataTableView,
} from '../../../contracts/data-tables';
import { ApiError, apiFetch } from '../../lib/api-client';

const TYPE_HINTS: Record<ColumnType, string> = {
  string: 'Any text.',
  number: 'Whole or decimal numbers.',
  boolean: 'Yes or no (true / false).',
  date: 'A day, or a day and time (stored in UTC).',
  json: 'Any JSON value: lists, objects.',
};

export function ColumnDialog(props: {
  table: DataTableView;
  /** The column to change; undefined to add one. */
  editing?: DataTableColumn;
  onDone(table: DataTableView): void;
  onClose(): void;
}) {
  const { table, editing } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState(editing?.name ?? '');
  const [type, setType] = useState<ColumnType>(editing?.type ?? 'string');
  const [required, setRequired] = useState(editing?.required ?? false);
  const [unique, setUnique] = useState(editing?.unique ?? false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);

  const call = async (path: string, method: string, body?: unknown) => {
    setSaving(true);
    setError(null);
    try {
      const { table: next } = await apiFetch<{ table: DataTableView }>(path, { method, body });
      props.onDone(next);
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = columnNameProblem(
      name,
      table.columns.filter((c) => c.id !== editing?.id),
    );
    if (problem) return setError(problem);
    if (editing) void call(`/api/data-tables/${table.id}/columns/${editing.id}`, 'PATCH', { name, required, unique });
    else void call(`/api/data-tables/${table.id}/columns`, 'POST', { name, type, required, unique });
  };

  return (
    <dialog ref={dialog} className="confirm table-dialog" onClose={props.onClose} aria-labelledby="column-dialog-title">
      <form onSubmit={submit} noValidate>
        <h2 id="column-dialog-title">{editing ? `Column “${editing.name}”` : 'Add a column'}</h2>
        <div className="field">
          <label htmlFor="column-name">Name</label>
          <input
            id="column-name"
            className="input"
            value={name}
            maxLength={200}
            autoFocus
            placeholder="Laptop issued"
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="column-type">Type</label>
          <select
            id="column-type"
            className="select"
            value={type}
            disabled={Boolean(editing)}
            onChange={(e) => setType(e.target.value as ColumnType)}
          >
            {COLUMN_TYPES.map((t) => (
              <option key={t} value={t}>
                {COLUMN_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
          <span className="hint">
            {editing ? 'To change the type, add a new column and remove this one.' : TYPE_HINTS[type]}
          </span>
        </div>
        <label className="check-row">
          <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} /> Required: every
          row has a value
        </label>
        <label className="check-row">
          <input type="checkbox" checked={unique} onChange={(e) => setUnique(e.target.checked)} /> Unique: no two rows
          share a value
        </label>
        {error && (
          <div className="banner error" role="alert">
            {error}
          </div>
        )}
        <div className="dialog-actions">
          {editing && (
            <button
              className={`btn ${confirmRemove ? 'danger' : 'ghost'}`}
              type="button"
              disabled={saving}
              onClick={() =>
                confirmRemove
                  ? void call(`/api/data-tables/${table.id}/columns/${editing.id}`, 'DELETE')
                  : setConfirmRemove(true)
              }
            >
              {confirmRemove ? `Remove “${editing.name}” and its values` : 'Remove column'}
            </button>
          )}
          <span className="dialog-spacer" />
          <button className="btn" type="button" onClick={props.onClose} disabled={saving}>
            Cancel
          </button>
          <button className="btn primary" type="submit" disabled={saving}>
            {saving && <span className="spinner" />} {editing ? 'Save' : 'Add column'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
