// One cell of the rows editor (ListEditor): the control for its field's widget, its errors and, for cells that
// may hold `{{ … }}`, the expression preview. Typed cells that allow expressions switch to a text box, as params do.
import { useState, type ReactNode } from 'react';
import type { ListField } from '../../../nodes/define';

const isExpressionText = (v: unknown) => typeof v === 'string' && v.includes('{{');

export function ListCell({
  id,
  field,
  name,
  value,
  errors,
  readOnly,
  onChange,
  preview,
}: {
  id: string;
  field: ListField;
  name: string;
  value: unknown;
  errors: string[];
  readOnly: boolean;
  onChange(value: unknown): void;
  preview(value: unknown): ReactNode;
}) {
  const typed = field.widget !== 'text';
  // As in ParamField: a typed cell that may hold an expression can switch to a text box.
  const [expressionMode, setExpressionMode] = useState(typed && field.expression && isExpressionText(value));
  const invalid = errors.length > 0;
  const common = {
    id,
    'aria-label': name,
    'aria-invalid': invalid || undefined,
    'aria-describedby': invalid ? `${id}-error` : undefined,
  };
  const cls = (base: string) => `${base}${invalid ? ' invalid' : ''}`;

  let control;
  if (field.widget === 'text' || expressionMode)
    control = (
      <input
        {...common}
        className={cls('input')}
        type="text"
        placeholder={field.placeholder}
        readOnly={readOnly}
        value={value === undefined || value === null ? '' : String(value)}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  else if (field.widget === 'number')
    control = (
      <input
        {...common}
        className={cls('input')}
        type="number"
        placeholder={field.placeholder}
        readOnly={readOnly}
        value={typeof value === 'number' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.valueAsNumber)}
      />
    );
  else if (field.widget === 'select')
    control = (
      <select
        {...common}
        className={cls('select')}
        disabled={readOnly}
        value={String(value ?? '')}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        {(value === undefined || value === '') && <option value="">Choose…</option>}
        {field.options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  else
    control = (
      <label className="switch">
        <input
          {...common}
          type="checkbox"
          disabled={readOnly}
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
        />
        <span className="switch-track" aria-hidden="true" />
        <span className="switch-text">{value === true ? 'On' : 'Off'}</span>
      </label>
    );

  return (
    <>
      <label className="list-cell-label" htmlFor={id}>
        {field.label}
      </label>
      <div className="list-cell" data-cell={field.key}>
        <div className="list-cell-control">
          {control}
          {typed && field.expression && !readOnly && (
            <button
              type="button"
              className={`expr-toggle${expressionMode ? ' on' : ''}`}
              title={expressionMode ? 'Use the fixed value editor' : 'Use an expression'}
              aria-label={`${name}: ${expressionMode ? 'fixed value' : 'expression'}`}
              aria-pressed={expressionMode}
              onClick={() => {
                setExpressionMode(!expressionMode);
                if (expressionMode && isExpressionText(value)) onChange(field.default);
              }}
            >
              fx
            </button>
          )}
        </div>
        {invalid && (
          <span className="error-text" id={`${id}-error`} role="alert">
            {errors.join(' ')}
          </span>
        )}
        {/* A broken expression's preview would repeat the error just above. */}
        {field.expression && !invalid && preview(value)}
      </div>
    </>
  );
}
