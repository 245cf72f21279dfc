// Name a new data table, or rename one, in a modal dialog; the API's refusal (a taken name, the table limit) shows in
// the dialog. On success the caller gets the table.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { tableNameProblem, type DataTableView } from '../../../contracts/data-tables';
import { ApiError, apiFetch } from '../../lib/api-client';

export function TableNameDialog(props: {
  /** The table to rename; undefined to create one. */
  renaming?: Pick<DataTableView, 'id' | 'name'>;
  onDone(table: DataTableView): void;
  onClose(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState(props.renaming?.name ?? '');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = tableNameProblem(name);
    if (problem) return setError(problem);
    setSaving(true);
    setError(null);
    try {
      const { table } = await apiFetch<{ table: DataTableView }>(
        props.renaming ? `/api/data-tables/${props.renaming.id}` : '/api/data-tables',
        { method: props.renaming ? 'PATCH' : 'POST', body: { name } },
      );
      props.onDone(table);
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <dialog ref={dialog} className="confirm table-dialog" onClose={props.onClose} aria-labelledby="table-dialog-title">
      <form onSubmit={submit} noValidate>
        <h2 id="table-dialog-title">{props.renaming ? `Rename “${props.renaming.name}”` : 'New data table'}</h2>
        <div className="field">
          <label htmlFor="table-name">Name</label>
          <input
            id="table-name"
            className={`input${error ? ' invalid' : ''}`}
            value={name}
            maxLength={200}
            autoFocus
            placeholder="IT equipment issued"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'table-name-error' : undefined}
            onChange={(e) => setName(e.target.value)}
          />
          {error ? (
            <span className="error-text" id="table-name-error" role="alert">
              {error}
            </span>
          ) : (
            <span className="hint">Workflows pick the table by this name; you add its columns next.</span>
          )}
        </div>
        <div className="dialog-actions">
          <button className="btn" type="button" onClick={props.onClose} disabled={saving}>
            Cancel
          </button>
          <button className="btn primary" type="submit" disabled={saving}>
            {saving && <span className="spinner" />} {props.renaming ? 'Rename' : 'Create table'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
