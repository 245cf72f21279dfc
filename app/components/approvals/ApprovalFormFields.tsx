// The reviewer's form: one control per field of the Approval node, with the inspector's widgets (text, number,
// select, date, switch, textarea). Controlled, and named `form.<key>` so that a plain form post (the email link
// page) carries the same values. Hosted forms (app/routes/form.*) use it too, with email and file fields and the
// server's message next to each field that was refused.
import type { ApprovalFormField } from '../../../contracts/approvals';

export type FormValues = Record<string, unknown>;

/** Starting values: switches off, everything else empty. */
export function initialFormValues(fields: ApprovalFormField[]): FormValues {
  return Object.fromEntries(fields.filter((f) => f.type === 'boolean').map((f) => [f.key, false]));
}

/** The values to send: blanks left out, so that an optional field left empty is absent. */
export function filledFormValues(values: FormValues): FormValues {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''));
}

export function ApprovalFormFields(props: {
  idPrefix: string;
  fields: ApprovalFormField[];
  values: FormValues;
  disabled?: boolean;
  /** Why the server refused a field's value, by key: shown under the field, which is marked invalid. */
  errors?: Record<string, string>;
  /** File fields: the largest file accepted, for the browser to check before uploading. */
  maxFileBytes?: number;
  onChange(values: FormValues): void;
}) {
  const { idPrefix, fields, values, disabled, errors = {} } = props;
  if (fields.length === 0) return null;
  const set = (key: string, value: unknown) => props.onChange({ ...values, [key]: value });
  return (
    <div className="approval-form">
      {fields.map((field) => {
        const id = `${idPrefix}-${field.key}`;
        const name = `form.${field.key}`;
        const value = values[field.key];
        const error = errors[field.key];
        const common = {
          id,
          name,
          disabled,
          'aria-required': field.required || undefined,
          'aria-invalid': error ? true : undefined,
          'aria-describedby': error ? `${id}-error` : undefined,
        };
        let control;
        if (field.type === 'file')
          control = <input {...common} className="input" type="file" data-max-bytes={props.maxFileBytes} />;
        else if (field.type === 'textarea')
          control = (
            <textarea
              {...common}
              className="textarea"
              rows={3}
              value={String(value ?? '')}
              onChange={(e) => set(field.key, e.target.value)}
            />
          );
        else if (field.type === 'number')
          control = (
            <input
              {...common}
              className="input"
              type="number"
              step="any"
              value={typeof value === 'number' ? value : ''}
              onChange={(e) => set(field.key, e.target.value === '' ? undefined : e.target.valueAsNumber)}
            />
          );
        else if (field.type === 'select')
          control = (
            <select
              {...common}
              className="select"
              value={String(value ?? '')}
              onChange={(e) => set(field.key, e.target.value || undefined)}
            >
              <option value="">Choose…</option>
              {(field.options ?? []).map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          );
        else if (field.type === 'boolean')
          control = (
            <label className="switch">
              <input
                {...common}
                type="checkbox"
                value="true"
                checked={value === true}
                onChange={(e) => set(field.key, e.target.checked)}
              />
              <span className="switch-track" aria-hidden="true" />
              <span className="switch-text">{value === true ? 'Yes' : 'No'}</span>
            </label>
          );
        else
          control = (
            <input
              {...common}
              className="input"
              type={field.type === 'date' ? 'date' : field.type === 'email' ? 'email' : 'text'}
              value={String(value ?? '')}
              onChange={(e) => set(field.key, e.target.value || undefined)}
            />
          );
        return (
          <div className="field" key={field.key} data-field={field.key}>
            {field.type === 'boolean' ? (
              <span className="field-label">
                {field.label}
                {field.required && <span aria-hidden="true"> *</span>}
              </span>
            ) : (
              <label htmlFor={id}>
                {field.label}
                {field.required && <span aria-hidden="true"> *</span>}
              </label>
            )}
            {control}
            {error && (
              <p className="field-error" id={`${id}-error`}>
                {`${field.label} ${error}.`}
              </p>
            )}
          </div>
        );
      })}
    </div>
  );
}
