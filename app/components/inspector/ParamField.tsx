// One form field generated from a param's UI hints (widget, label, placeholder, options), with its errors
// from the last compile and an expression preview.
import { useState } from 'react';
import type { ParamDescription } from '../../lib/node-description';
import type { RunState } from '../../lib/run-view';
import { CodeField, JsonField } from './CodeField';
import { ExpressionPreview } from './ExpressionPreview';
import { KeyValueEditor } from './KeyValueEditor';
import { ListEditor } from './ListEditor';
import { editableAsRows, type FieldError, type Row } from './list-rows';
import type { ListChange } from '../../stores/list-edges';
import { WorkflowPicker } from './WorkflowPicker';
import { CredentialPicker } from './CredentialPicker';
import { FileParamField } from './FileParamField';
import { DataTablePicker } from '../tables/DataTablePicker';
import { ModelPicker } from '../models/ModelPicker';
import { useEditor } from '../../stores/workflow-store-context';
import { AgentToolsField } from './AgentToolsField';
import { RecordStepsButton } from '../browser/RecordStepsButton';

interface Props {
  nodeId: string;
  workflowId: string;
  param: ParamDescription;
  value: unknown;
  /** The last compile's errors about this param, located inside it (a list's cells). */
  errors: FieldError[];
  readOnly: boolean;
  run: RunState | null;
  /** `change`: the row a list's rows editor moved or removed, so edges on that row's output can follow it. */
  onChange(value: unknown, change?: ListChange): void;
}

const isExpressionText = (v: unknown) => typeof v === 'string' && v.includes('{{');

export function ParamField({ nodeId, workflowId, param, value, errors: located, readOnly, run, onChange }: Props) {
  const { ui } = param;
  const id = `param-${nodeId}-${param.key}`;
  // Params whose generic widget is not enough get an editor of their own, chosen by node type and key.
  const nodeType = useEditor((s) => s.nodes.find((n) => n.id === nodeId)?.data.type);
  const agentTools = nodeType === 'agent' && param.key === 'tools';
  // The rows editor shows errors on its rows and cells; other widgets show every error under the field.
  const asRows = ui.widget === 'list' && editableAsRows(value, ui.fields ?? []);
  const [listAsJson, setListAsJson] = useState(false);
  const rowsShown = asRows && !listAsJson;
  const errors = (rowsShown ? located.filter((e) => e.path.length === 0) : located).map((e) => e.message);
  const invalid = errors.length > 0;
  // Typed widgets (number, select, boolean) can switch to a text box holding an expression.
  const typed = ui.widget === 'number' || ui.widget === 'select' || ui.widget === 'boolean';
  const [expressionMode, setExpressionMode] = useState(typed && isExpressionText(value));
  const cls = (base: string) => `${base}${invalid ? ' invalid' : ''}`;
  // The visible label carries a "*" for required fields; the accessible name stays the plain label.
  const common = {
    id,
    'aria-label': ui.label,
    'aria-required': ui.required || undefined,
    'aria-invalid': invalid || undefined,
    'aria-describedby': invalid ? `${id}-error` : undefined,
    readOnly,
    disabled: readOnly && typed,
  };

  const text = (multiline: boolean) =>
    multiline ? (
      <textarea
        {...common}
        className={cls('textarea')}
        placeholder={ui.placeholder}
        value={String(value ?? '')}
        rows={4}
        onChange={(e) => onChange(e.target.value)}
      />
    ) : (
      <input
        {...common}
        className={cls('input')}
        type="text"
        placeholder={ui.placeholder}
        value={String(value ?? '')}
        onChange={(e) => onChange(e.target.value)}
      />
    );

  // What every resource picker (credential, data table, model) takes: the id it holds, or none.
  const pickerProps = {
    id,
    label: ui.label,
    value: typeof value === 'string' && value !== '' ? value : undefined,
    readOnly,
    invalid,
    describedBy: invalid ? `${id}-error` : undefined,
    onChange: (v: string | undefined) => onChange(v),
  };

  let control;
  if (expressionMode) control = text(false);
  else if (ui.widget === 'text') control = text(false);
  else if (ui.widget === 'workflow')
    control = (
      <WorkflowPicker
        id={id}
        label={ui.label}
        value={typeof value === 'string' && value !== '' ? value : undefined}
        currentWorkflowId={workflowId}
        readOnly={readOnly}
        invalid={invalid}
        describedBy={invalid ? `${id}-error` : undefined}
        placeholder={ui.placeholder}
        unpublishedWarning="Publish it, or this node fails when it runs."
        onChange={(v) => onChange(v)}
      />
    );
  else if (ui.widget === 'credential') control = <CredentialPicker {...pickerProps} types={ui.credentialTypes ?? []} />;
  else if (ui.widget === 'dataTable') control = <DataTablePicker {...pickerProps} />;
  else if (ui.widget === 'model') control = <ModelPicker {...pickerProps} />;
  else if (agentTools)
    control = (
      <AgentToolsField
        id={id}
        label={ui.label}
        value={value}
        errors={located}
        readOnly={readOnly}
        invalid={invalid}
        onChange={onChange}
      />
    );
  else if (ui.widget === 'file')
    control = (
      <FileParamField
        id={id}
        label={ui.label}
        value={value}
        placeholder={ui.placeholder}
        readOnly={readOnly}
        invalid={invalid}
        describedBy={invalid ? `${id}-error` : undefined}
        onChange={(v) => onChange(v)}
      />
    );
  else if (ui.widget === 'secret')
    control = (
      <input
        {...common}
        className={cls('input')}
        type="password"
        autoComplete="new-password"
        placeholder={ui.placeholder}
        value={String(value ?? '')}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  else if (ui.widget === 'textarea') control = text(true);
  else if (ui.widget === 'number')
    control = (
      <input
        {...common}
        className={cls('input')}
        type="number"
        placeholder={ui.placeholder}
        value={typeof value === 'number' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.valueAsNumber)}
      />
    );
  else if (ui.widget === 'select')
    control = (
      <select
        {...common}
        className={cls('select')}
        value={String(value ?? '')}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        {(value === undefined || value === '') && <option value="">Choose…</option>}
        {ui.options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  else if (ui.widget === 'boolean')
    control = (
      <label className="switch">
        <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        <span className="switch-track" aria-hidden="true" />
        <span className="switch-text">{value === true ? 'On' : 'Off'}</span>
      </label>
    );
  else if (rowsShown)
    control = (
      <ListEditor
        id={id}
        ui={ui}
        rows={value as Row[]}
        errors={located}
        readOnly={readOnly}
        nodeId={nodeId}
        workflowId={workflowId}
        run={run}
        onChange={onChange}
      />
    );
  else if (ui.widget === 'json' || ui.widget === 'list')
    control = (
      <JsonField id={id} label={ui.label} value={value} onChange={onChange} readOnly={readOnly} invalid={invalid} />
    );
  else if (ui.widget === 'code')
    control = (
      <CodeField
        id={id}
        label={ui.label}
        language={ui.language ?? 'javascript'}
        value={String(value ?? '')}
        onChange={onChange}
        readOnly={readOnly}
        invalid={invalid}
        typings={ui.typings}
      />
    );
  else if (ui.widget === 'keyValue')
    control = <KeyValueEditor id={id} label={ui.label} value={value} onChange={onChange} readOnly={readOnly} />;
  else control = text(false);

  return (
    <div className="field param-field" data-param={param.key}>
      <div className="field-label-row">
        {ui.widget === 'boolean' || ui.widget === 'keyValue' || rowsShown ? (
          <span className="field-label" id={`${id}-label`}>
            {ui.label}
            {ui.required && (
              <span className="required" aria-hidden="true">
                *
              </span>
            )}
          </span>
        ) : (
          <label className="field-label" htmlFor={id}>
            {ui.label}
            {ui.required && (
              <span className="required" aria-hidden="true">
                *
              </span>
            )}
          </label>
        )}
        {typed && ui.expression && !readOnly && (
          <button
            type="button"
            className={`expr-toggle${expressionMode ? ' on' : ''}`}
            title={expressionMode ? 'Use the fixed value editor' : 'Use an expression'}
            aria-pressed={expressionMode}
            onClick={() => {
              setExpressionMode(!expressionMode);
              if (expressionMode && isExpressionText(value)) onChange(param.default);
            }}
          >
            fx
          </button>
        )}
        {ui.widget === 'list' && (
          <button
            type="button"
            className={`expr-toggle${rowsShown ? '' : ' on'}`}
            title={
              asRows
                ? rowsShown
                  ? 'Edit as JSON'
                  : `Edit as ${ui.itemLabel ?? 'item'}s`
                : 'The value is not a list of rows: edit it as JSON'
            }
            aria-pressed={!rowsShown}
            disabled={!asRows}
            onClick={() => setListAsJson(!listAsJson)}
          >
            JSON
          </button>
        )}
        {nodeType === 'browser' && param.key === 'steps' && (
          <RecordStepsButton
            nodeId={nodeId}
            workflowId={workflowId}
            rows={value}
            readOnly={readOnly}
            onChange={(rows) => onChange(rows)}
          />
        )}
      </div>
      {/* Rows run long: how to fill them in belongs above them. */}
      {rowsShown && ui.description && <span className="hint">{ui.description}</span>}
      {control}
      {!rowsShown && ui.description && !invalid && <span className="hint">{ui.description}</span>}
      {typeof value === 'string' && ui.maxLength && value.length > ui.maxLength * 0.8 ? (
        <span className={value.length > ui.maxLength ? 'error-text' : 'hint'}>
          {value.length.toLocaleString('en')} / {ui.maxLength.toLocaleString('en')} characters
        </span>
      ) : null}
      {invalid && (
        <span className="error-text" id={`${id}-error`} role="alert">
          {errors.join(' ')}
        </span>
      )}
      {ui.expression && !rowsShown && (
        <ExpressionPreview value={value} run={run} nodeId={nodeId} workflowId={workflowId} />
      )}
    </div>
  );
}
