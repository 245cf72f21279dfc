// Create or edit one credential, in a modal dialog: the type's fields from the registry, secret fields masked and
// never filled from the server (a set secret shows "•••• set — leave blank to keep"), a connection test, and the
// API's field errors under their fields. Talks to /api/credentials directly.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, apiFetch } from '../../lib/api-client';
import type { CredentialTypeInfo } from '../../lib/credential-api.server';

export interface CredentialRow {
  id: string;
  name: string;
  type: string;
  fields: Record<string, unknown>;
  secretFields: Record<string, 'set' | 'empty'>;
  updatedAt: string;
  usedBy: Array<{ workflowId: string; workflowName: string; nodes: string[] }>;
}

export const SET_SECRET_PLACEHOLDER = '•••• set — leave blank to keep';

type Values = Record<string, unknown>;

function initialValues(type: CredentialTypeInfo | undefined, editing: CredentialRow | null): Values {
  const values: Values = {};
  for (const field of type?.fields ?? []) {
    if (field.secret) values[field.key] = '';
    else values[field.key] = editing ? (editing.fields[field.key] ?? '') : (field.default ?? '');
  }
  return values;
}

export function CredentialForm(props: {
  open: boolean;
  types: CredentialTypeInfo[];
  /** The credential being edited; null to create one. */
  editing: CredentialRow | null;
  /** Type picked before the form opened (the inspector's "New credential…" link). */
  initialType?: string;
  onSaved(credential: CredentialRow): void;
  onClose(): void;
}) {
  const { editing, types } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const [typeKey, setTypeKey] = useState(editing?.type ?? props.initialType ?? types[0]?.type ?? '');
  const type = types.find((t) => t.type === typeKey);
  const [name, setName] = useState(editing?.name ?? '');
  const [values, setValues] = useState<Values>(() => initialValues(type, editing));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [tested, setTested] = useState<{ ok: boolean; message: string } | null>(null);

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (props.open && !el.open) el.showModal();
    if (!props.open && el.open) el.close();
  }, [props.open]);

  const pickType = (next: string) => {
    setTypeKey(next);
    setValues(
      initialValues(
        types.find((t) => t.type === next),
        null,
      ),
    );
    setFieldErrors({});
    setTested(null);
  };

  /** What is sent: blank fields left out on edit (a blank secret keeps the stored one). */
  const payload = () =>
    Object.fromEntries(
      Object.entries(values).filter(([, v]) => v !== '' && v !== undefined && !(typeof v === 'number' && isNaN(v))),
    );

  const fail = (err: unknown) => {
    const issues =
      (err instanceof ApiError ? (err.body.fields as Array<{ field: string; message: string }>) : []) ?? [];
    setFieldErrors(Object.fromEntries(issues.map((i) => [i.field, i.message])));
    setError(err instanceof Error ? err.message : String(err));
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    setFieldErrors({});
    try {
      const body = editing ? { name, values: payload() } : { name, type: typeKey, values: payload() };
      const { credential } = await apiFetch<{ credential: CredentialRow }>(
        editing ? `/api/credentials/${editing.id}` : '/api/credentials',
        { method: editing ? 'PATCH' : 'POST', body },
      );
      props.onSaved(credential);
    } catch (err) {
      fail(err);
    } finally {
      setSaving(false);
    }
  };

  const test = async () => {
    setTesting(true);
    setTested(null);
    try {
      const result = await apiFetch<{ ok: boolean; message: string }>(
        editing ? `/api/credentials/${editing.id}/connection-test` : '/api/credentials/connection-test',
        { method: 'POST', body: editing ? { values: payload() } : { type: typeKey, values: payload() } },
      );
      setTested(result);
    } catch (err) {
      setTested({ ok: false, message: err instanceof Error ? err.message : String(err) });
    } finally {
      setTesting(false);
    }
  };

  const fieldId = (key: string) => `credential-field-${key}`;
  return (
    <dialog ref={dialog} className="confirm credential-dialog" onClose={props.onClose} aria-labelledby="cred-title">
      <form onSubmit={save} noValidate>
        <h2 id="cred-title">{editing ? `Edit “${editing.name}”` : 'New credential'}</h2>
        <div className="field">
          <label htmlFor="credential-type">Type</label>
          <select
            id="credential-type"
            className="select"
            value={typeKey}
            disabled={Boolean(editing)}
            onChange={(e) => pickType(e.target.value)}
          >
            {types.map((t) => (
              <option key={t.type} value={t.type}>
                {t.title}
              </option>
            ))}
          </select>
          {type && <span className="hint">{type.description}</span>}
        </div>
        <div className="field">
          <label htmlFor="credential-name">
            Name
            <span className="required" aria-hidden="true">
              *
            </span>
          </label>
          <input
            id="credential-name"
            className={`input${fieldErrors.name ? ' invalid' : ''}`}
            value={name}
            placeholder="Billing API (production)"
            aria-invalid={fieldErrors.name ? true : undefined}
            onChange={(e) => setName(e.target.value)}
            autoFocus
          />
          {fieldErrors.name && <span className="error-text">{fieldErrors.name}</span>}
        </div>
        {type?.fields.map((field) => {
          const set = field.secret && editing?.secretFields[field.key] === 'set';
          const invalid = Boolean(fieldErrors[field.key]);
          const value = values[field.key];
          const onChange = (v: unknown) => setValues((old) => ({ ...old, [field.key]: v }));
          const common = {
            id: fieldId(field.key),
            'aria-invalid': invalid || undefined,
            'aria-describedby': invalid ? `${fieldId(field.key)}-error` : undefined,
          };
          let control;
          if (field.ui.widget === 'select')
            control = (
              <select
                {...common}
                className="select"
                value={String(value ?? '')}
                onChange={(e) => onChange(e.target.value)}
              >
                {field.ui.options?.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            );
          else if (field.ui.widget === 'boolean')
            control = (
              <input
                {...common}
                type="checkbox"
                checked={value === true}
                onChange={(e) => onChange(e.target.checked)}
              />
            );
          else
            control = (
              <input
                {...common}
                className={`input${invalid ? ' invalid' : ''}`}
                type={field.secret ? 'password' : field.ui.widget === 'number' ? 'number' : 'text'}
                autoComplete={field.secret ? 'new-password' : 'off'}
                placeholder={set ? SET_SECRET_PLACEHOLDER : field.ui.placeholder}
                value={value === undefined || value === null ? '' : String(value)}
                onChange={(e) =>
                  onChange(
                    field.ui.widget === 'number' && e.target.value !== '' ? e.target.valueAsNumber : e.target.value,
                  )
                }
              />
            );
          return (
            <div className="field" key={`${typeKey}-${field.key}`}>
              <label htmlFor={fieldId(field.key)}>
                {field.ui.label}
                {field.ui.required && !set && (
                  <span className="required" aria-hidden="true">
                    *
                  </span>
                )}
              </label>
              {control}
              {invalid ? (
                <span className="error-text" id={`${fieldId(field.key)}-error`}>
                  {fieldErrors[field.key]}
                </span>
              ) : (
                field.ui.description && <span className="hint">{field.ui.description}</span>
              )}
            </div>
          );
        })}
        {tested && (
          <div className={`banner ${tested.ok ? 'info' : 'error'}`} role="status">
            {tested.ok ? 'Connection works: ' : 'Connection failed: '}
            {tested.message}
          </div>
        )}
        {error && (
          <div className="banner error" role="alert">
            {error}
          </div>
        )}
        <div className="dialog-actions">
          {type?.testable && (
            <button className="btn" type="button" onClick={test} disabled={testing || saving}>
              {testing && <span className="spinner" />} Test connection
            </button>
          )}
          <span className="dialog-spacer" />
          <button className="btn" type="button" onClick={props.onClose} disabled={saving}>
            Cancel
          </button>
          <button className="btn primary" type="submit" disabled={saving}>
            {saving && <span className="spinner" />} {editing ? 'Save' : 'Create credential'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
