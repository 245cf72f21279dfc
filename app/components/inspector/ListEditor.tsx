// Rows editor for `list` params (a Switch's rules): one card per row with a cell per field, add, remove and
// reorder. Controlled by the param's value, so undo and redo show at once; only the rows' React keys live here.
// Each move and removal is reported with the rows, so the store can take a rule's edges along with it.
import { useEffect, useRef, useState } from 'react';
import type { ListField, ParamUi } from '../../../nodes/define';
import type { RunState } from '../../lib/run-view';
import { ExpressionPreview } from './ExpressionPreview';
import { ListCell } from './ListCell';
import { IconButton } from '../ui/IconButton';
import type { ListChange } from '../../stores/list-edges';
import { cellKey, locateListErrors, moveRow, newRow, withCell, type FieldError, type Row } from './list-rows';

interface Props {
  id: string;
  ui: ParamUi;
  rows: Row[];
  errors: readonly FieldError[];
  readOnly: boolean;
  nodeId: string;
  workflowId: string;
  run: RunState | null;
  /** `change` says which row moved or went; a cell edit or an added row has none. */
  onChange(rows: Row[], change?: ListChange): void;
}

const UP = 'M8 12.5v-9M4.5 7 8 3.5 11.5 7';
const DOWN = 'M8 3.5v9M4.5 9 8 12.5 11.5 9';
const REMOVE = 'M4 4l8 8M12 4l-8 8';

let nextKey = 1;

/** The field as this row shows it: its placeholder may follow another cell of the row (ListField `placeholderBy`). */
function fieldInRow(field: ListField, row: Row): ListField {
  const by = field.placeholderBy;
  const placeholder = by && by.placeholders[String(row[by.field] ?? '')];
  return placeholder === undefined ? field : { ...field, placeholder };
}
const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Where focus goes once the rows re-render: the moved row's button, the next row, or the add button. */
type FocusTarget = { key: number; control: 'up' | 'down' | 'remove' | 'first-cell' } | 'add';

export function ListEditor({ id, ui, rows, errors, readOnly, nodeId, workflowId, run, onChange }: Props) {
  const fields = ui.fields ?? [];
  const item = ui.itemLabel ?? 'item';
  const max = ui.maxItems ?? Infinity;
  const [keys, setKeys] = useState<number[]>(() => rows.map(() => nextKey++));
  // Rows added or removed from outside (undo, the JSON editor): keep the keys of rows still there by position.
  let rowKeys = keys;
  if (keys.length !== rows.length) {
    rowKeys = rows.map((_, i) => keys[i] ?? nextKey++);
    setKeys(rowKeys);
  }
  const located = locateListErrors(errors, fields);
  const container = useRef<HTMLDivElement>(null);
  const focusNext = useRef<FocusTarget | null>(null);

  useEffect(() => {
    const target = focusNext.current;
    if (!target || !container.current) return;
    focusNext.current = null;
    const selector =
      target === 'add'
        ? '[data-list-add]'
        : target.control === 'first-cell'
          ? `[data-row-key="${target.key}"] [data-cell] :is(input, select)`
          : `[data-row-key="${target.key}"] [data-action="${target.control}"] button`;
    container.current.querySelector<HTMLElement>(selector)?.focus();
  });

  const change = (next: Row[], nextKeys: number[], focus?: FocusTarget, edit?: ListChange) => {
    setKeys(nextKeys);
    focusNext.current = focus ?? null;
    onChange(next, edit);
  };
  const move = (i: number, to: number) => {
    const key = rowKeys[i];
    // A button that no longer applies (the top row's "up") would drop focus to the page; use the other one.
    const control = to === 0 ? 'down' : to === rows.length - 1 ? 'up' : to < i ? 'up' : 'down';
    change(moveRow(rows, i, to), moveRow(rowKeys, i, to), { key, control }, { kind: 'move', from: i, to });
  };
  const remove = (i: number) => {
    const nextKeys = rowKeys.filter((_, j) => j !== i);
    const neighbour = nextKeys[i] ?? nextKeys[i - 1];
    change(
      rows.filter((_, j) => j !== i),
      nextKeys,
      neighbour === undefined ? 'add' : { key: neighbour, control: 'remove' },
      { kind: 'remove', index: i },
    );
  };
  const add = () => {
    const key = nextKey++;
    change([...rows, newRow(fields)], [...rowKeys, key], { key, control: 'first-cell' });
  };

  return (
    <div className="list-editor" id={id} role="group" aria-label={ui.label} ref={container}>
      {rows.length === 0 && <p className="list-empty">No {item}s yet.</p>}
      {rows.map((row, i) => {
        const title = `${capitalized(item)} ${i + 1}`;
        const rowErrors = located.rows.get(i);
        return (
          <div
            className={`list-row${rowErrors ? ' invalid' : ''}`}
            key={rowKeys[i]}
            data-row-key={rowKeys[i]}
            role="group"
            aria-label={title}
          >
            <div className="list-row-head">
              <span className="list-row-title">{title}</span>
              {!readOnly && (
                <span className="list-row-actions" data-row-actions>
                  <span data-action="up">
                    <IconButton
                      label={`Move ${item} ${i + 1} up`}
                      title="Move up"
                      path={UP}
                      disabled={i === 0}
                      onClick={() => move(i, i - 1)}
                    />
                  </span>
                  <span data-action="down">
                    <IconButton
                      label={`Move ${item} ${i + 1} down`}
                      title="Move down"
                      path={DOWN}
                      disabled={i === rows.length - 1}
                      onClick={() => move(i, i + 1)}
                    />
                  </span>
                  <span data-action="remove">
                    <IconButton
                      label={`Remove ${item} ${i + 1}`}
                      title={`Remove this ${item}`}
                      path={REMOVE}
                      onClick={() => remove(i)}
                    />
                  </span>
                </span>
              )}
            </div>
            <div className="list-cells">
              {fields.map((field) => (
                <ListCell
                  key={field.key}
                  id={`${id}-${rowKeys[i]}-${field.key}`}
                  field={fieldInRow(field, row)}
                  name={`${field.label}, ${item} ${i + 1}`}
                  value={row[field.key]}
                  errors={located.cells.get(cellKey(i, field.key)) ?? []}
                  readOnly={readOnly}
                  onChange={(v) => onChange(rows.map((r, j) => (j === i ? withCell(r, field.key, v) : r)))}
                  preview={(value) => (
                    <ExpressionPreview value={value} run={run} nodeId={nodeId} workflowId={workflowId} />
                  )}
                />
              ))}
            </div>
            {rowErrors && (
              <span className="error-text" role="alert">
                {rowErrors.join(' ')}
              </span>
            )}
          </div>
        );
      })}
      {located.list.length > 0 && (
        <span className="error-text" role="alert">
          {located.list.join(' ')}
        </span>
      )}
      {!readOnly && (
        <div className="list-foot">
          <button className="btn small" type="button" data-list-add disabled={rows.length >= max} onClick={add}>
            + Add {item}
          </button>
          {rows.length >= max && (
            <span className="hint">
              {max} {item}s at most
            </span>
          )}
        </div>
      )}
    </div>
  );
}
