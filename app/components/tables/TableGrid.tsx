// The rows of a data table as an editable grid: arrow keys (and Home, End) move between cells, Enter or typing starts
// editing, Enter saves and moves down, Tab saves and moves right, Escape cancels, Delete empties a cell, Space flips a
// yes/no cell. Each value is checked against its column before it is sent; the server's refusal shows under the
// cell. The last line adds a row (Enter in any of its cells).
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import {
  COLUMN_TYPE_LABELS,
  type DataTableColumn,
  type DataTableRow,
  type DataTableView,
} from '../../../contracts/data-tables';
import { cellDisplay, cellEditText, parseCellText } from './cell-text';

interface Props {
  table: DataTableView;
  rows: DataTableRow[];
  /** Row number of the first row shown (paging). */
  offset: number;
  canWrite: boolean;
  /** Saves one cell; resolves to the refusal's message, or null. */
  onSaveCell(row: DataTableRow, column: DataTableColumn, value: unknown): Promise<string | null>;
  onAddRow(values: Record<string, unknown>): Promise<string | null>;
  onDeleteRow(row: DataTableRow): void;
  onEditColumn(column: DataTableColumn): void;
}

type Editing = { r: number; c: number; text: string; error?: string; saving?: boolean };

export function TableGrid(props: Props) {
  const { table, rows, canWrite } = props;
  const columns = table.columns;
  const grid = useRef<HTMLTableElement>(null);
  const [active, setActive] = useState({ r: 0, c: 0 });
  const [editing, setEditing] = useState<Editing | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [draftErrors, setDraftErrors] = useState<Record<string, string>>({});
  const [draftError, setDraftError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);

  const clamp = (r: number, c: number) => ({
    r: Math.max(0, Math.min(r, rows.length - 1)),
    c: Math.max(0, Math.min(c, columns.length - 1)),
  });
  // A page with fewer rows (a delete, a filter) keeps the active cell inside the grid.
  useEffect(() => {
    setActive((a) => (a.r < rows.length ? a : { r: Math.max(0, rows.length - 1), c: a.c }));
  }, [rows.length]);
  const cellAt = (r: number, c: number) => grid.current?.querySelector<HTMLElement>(`[data-cell="${r}:${c}"]`);
  // After an edit the cell is focused once its editor is gone (next frame); an arrow key moves focus at once, so a
  // second key pressed before the next frame starts from the cell the first one reached.
  const focusCell = (r: number, c: number) => {
    setActive({ r, c });
    requestAnimationFrame(() => cellAt(r, c)?.focus());
  };
  const moveTo = (r: number, c: number) => {
    setActive({ r, c });
    cellAt(r, c)?.focus();
  };

  const commit = async (edit: Editing, move?: { dr: number; dc: number }) => {
    const row = rows[edit.r];
    const column = columns[edit.c];
    const parsed = parseCellText(column, edit.text);
    if (!parsed.ok) return setEditing({ ...edit, error: parsed.message });
    if (cellEditText(column, row.values[column.name]) === edit.text) setEditing(null);
    else {
      setEditing({ ...edit, saving: true, error: undefined });
      const refusal = await props.onSaveCell(row, column, parsed.value);
      if (refusal) return setEditing({ ...edit, saving: false, error: refusal });
      setEditing(null);
    }
    if (move) {
      const next = clamp(edit.r + move.dr, edit.c + move.dc);
      focusCell(next.r, next.c);
    } else focusCell(edit.r, edit.c);
  };

  const onCellKey = (event: KeyboardEvent, r: number, c: number) => {
    if (editing) return;
    const column = columns[c];
    const moves: Record<string, [number, number]> = {
      ArrowUp: [r - 1, c],
      ArrowDown: [r + 1, c],
      ArrowLeft: [r, c - 1],
      ArrowRight: [r, c + 1],
      Home: [r, 0],
      End: [r, columns.length - 1],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      if (event.key === 'ArrowDown' && r === rows.length - 1 && canWrite) {
        grid.current?.querySelector<HTMLElement>('[data-new-cell="0"]')?.focus();
        return;
      }
      const next = clamp(move[0], move[1]);
      return moveTo(next.r, next.c);
    }
    if (!canWrite) return;
    const row = rows[r];
    if (column.type === 'boolean' && (event.key === ' ' || event.key === 'Enter')) {
      event.preventDefault();
      void props.onSaveCell(row, column, row.values[column.name] !== true);
    } else if (event.key === 'Enter' || event.key === 'F2') {
      event.preventDefault();
      setEditing({ r, c, text: cellEditText(column, row.values[column.name]) });
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      void commit({ r, c, text: '' });
    } else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      setEditing({ r, c, text: event.key });
    }
  };

  const onEditorKey = (event: KeyboardEvent) => {
    if (!editing) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      setEditing(null);
      focusCell(editing.r, editing.c);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      void commit(editing, { dr: 1, dc: 0 });
    } else if (event.key === 'Tab') {
      event.preventDefault();
      void commit(editing, { dr: 0, dc: event.shiftKey ? -1 : 1 });
    }
  };

  const addRow = async () => {
    const errors: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    for (const column of columns) {
      const parsed = parseCellText(column, draft[column.id] ?? '');
      if (!parsed.ok) errors[column.id] = parsed.message;
      else if (parsed.value !== null) values[column.name] = parsed.value;
    }
    setDraftErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setAdding(true);
    const refusal = await props.onAddRow(values);
    setAdding(false);
    setDraftError(refusal);
    if (!refusal) {
      setDraft({});
      grid.current?.querySelector<HTMLElement>('[data-new-cell="0"]')?.focus();
    }
  };

  const cell = (row: DataTableRow, r: number, column: DataTableColumn, c: number) => {
    const isEditing = editing?.r === r && editing.c === c;
    const value = row.values[column.name];
    const label = `${column.name}, row ${props.offset + r + 1}`;
    return (
      <td
        key={column.id}
        role="gridcell"
        data-cell={`${r}:${c}`}
        data-type={column.type}
        tabIndex={active.r === r && active.c === c ? 0 : -1}
        aria-label={isEditing ? undefined : `${label}: ${cellDisplay(column, value) || 'empty'}`}
        aria-invalid={isEditing && editing.error ? true : undefined}
        className={isEditing ? 'editing' : undefined}
        onFocus={() => setActive({ r, c })}
        onKeyDown={(e) => onCellKey(e, r, c)}
        onDoubleClick={() =>
          canWrite && column.type !== 'boolean' && setEditing({ r, c, text: cellEditText(column, value) })
        }
      >
        {isEditing ? (
          <div className="cell-editor">
            <input
              className={`input${editing.error ? ' invalid' : ''}`}
              aria-label={label}
              autoFocus
              value={editing.text}
              disabled={editing.saving}
              onChange={(e) => setEditing({ ...editing, text: e.target.value, error: undefined })}
              onKeyDown={onEditorKey}
              onBlur={() => !editing.saving && void commit(editing)}
            />
            {editing.error && (
              <span className="cell-error" role="alert">
                {editing.error}
              </span>
            )}
          </div>
        ) : column.type === 'boolean' ? (
          <input
            type="checkbox"
            tabIndex={-1}
            aria-hidden="true"
            checked={value === true}
            disabled={!canWrite}
            onChange={() => void props.onSaveCell(row, column, value !== true)}
          />
        ) : (
          <span className={value === null ? 'cell-empty' : undefined}>{cellDisplay(column, value)}</span>
        )}
      </td>
    );
  };

  return (
    <div className="grid-wrap">
      <table className="data-grid" role="grid" ref={grid} aria-label={`Rows of ${table.name}`}>
        <thead>
          <tr>
            <th className="row-num" scope="col">
              <span className="visually-hidden">Row</span>#
            </th>
            {columns.map((column) => (
              <th key={column.id} scope="col" data-type={column.type}>
                <button
                  type="button"
                  className="column-head"
                  disabled={!canWrite}
                  title={canWrite ? 'Rename, change or remove this column' : undefined}
                  onClick={() => props.onEditColumn(column)}
                >
                  <span className="column-name">{column.name}</span>
                  {column.required && (
                    <span className="required" title="Required">
                      *
                    </span>
                  )}
                  <span className="type-badge">{COLUMN_TYPE_LABELS[column.type]}</span>
                  {column.unique && <span className="type-badge unique">Unique</span>}
                </button>
              </th>
            ))}
            {canWrite && (
              <th className="actions" scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={row.id} data-row-id={row.id}>
              <td className="row-num">{props.offset + r + 1}</td>
              {columns.map((column, c) => cell(row, r, column, c))}
              {canWrite && (
                <td className="actions">
                  <button
                    type="button"
                    className="btn ghost small"
                    aria-label={`Delete row ${props.offset + r + 1}`}
                    onClick={() => props.onDeleteRow(row)}
                  >
                    Delete
                  </button>
                </td>
              )}
            </tr>
          ))}
          {canWrite && columns.length > 0 && (
            <tr className="new-row">
              <td className="row-num">+</td>
              {columns.map((column, c) => (
                <td key={column.id} data-type={column.type}>
                  <div className="cell-editor">
                    <input
                      className={`input${draftErrors[column.id] ? ' invalid' : ''}`}
                      data-new-cell={c}
                      aria-label={`New row: ${column.name}`}
                      placeholder={
                        column.type === 'boolean' ? 'true / false' : column.type === 'date' ? '2025-03-01' : column.name
                      }
                      value={draft[column.id] ?? ''}
                      disabled={adding}
                      onChange={(e) => {
                        setDraft({ ...draft, [column.id]: e.target.value });
                        setDraftErrors({ ...draftErrors, [column.id]: '' });
                        setDraftError(null);
                      }}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') {
                          e.preventDefault();
                          void addRow();
                        } else if (e.key === 'ArrowUp' && rows.length > 0) {
                          e.preventDefault();
                          focusCell(rows.length - 1, c);
                        }
                      }}
                    />
                    {draftErrors[column.id] && (
                      <span className="cell-error" role="alert">
                        {draftErrors[column.id]}
                      </span>
                    )}
                  </div>
                </td>
              ))}
              <td className="actions">
                <button type="button" className="btn small primary" onClick={() => void addRow()} disabled={adding}>
                  {adding && <span className="spinner" />} Add row
                </button>
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {draftError && (
        <div className="banner error" role="alert">
          The row was not added: {draftError}
        </div>
      )}
    </div>
  );
}
