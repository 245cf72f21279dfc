// One page of a hosted form (app/routes/form.*): its title and text, the fields with the approval form's widgets,
// the server's message next to each refused field, and the submit button. A plain form post works without
// JavaScript; with it, files over the page's limit are caught before they are uploaded.
import { Form } from '@remix-run/react';
import { useEffect, useState, type FormEvent } from 'react';
import type { FormPage } from '../../../contracts/form-page';
import { formatSize } from '../../../nodes/json-value';
import { ApprovalFormFields, initialFormValues, type FormValues } from '../approvals/ApprovalFormFields';

export function HostedForm(props: {
  page: FormPage;
  /** The whole form's title, above a later page's own. */
  eyebrow?: string;
  /** The answers the server sent back with a refusal. */
  values?: FormValues;
  errors?: Record<string, string>;
  problem?: string;
  /** Hidden values posted with the answers (a password pass, the page's step). */
  hidden?: Record<string, string>;
  busy: boolean;
}) {
  const { page, errors = {}, busy } = props;
  const [values, setValues] = useState<FormValues>(() => props.values ?? initialFormValues(page.fields));
  const [tooLarge, setTooLarge] = useState<Record<string, string>>({});
  useEffect(() => {
    if (props.values) setValues(props.values);
    setTooLarge({});
  }, [props.values]);
  const shown = { ...errors, ...tooLarge };
  const refused = page.fields.filter((f) => shown[f.key]);
  const hasFiles = page.fields.some((f) => f.type === 'file');

  const checkFiles = (event: FormEvent<HTMLFormElement>) => {
    const found: Record<string, string> = {};
    for (const input of event.currentTarget.querySelectorAll<HTMLInputElement>('input[type=file][data-max-bytes]')) {
      const file = input.files?.[0];
      const max = Number(input.dataset.maxBytes);
      if (file && file.size > max)
        found[input.name.replace(/^form\./, '')] =
          `is larger than ${formatSize(max)} (the file “${file.name}” is ${formatSize(file.size)})`;
    }
    setTooLarge(found);
    if (Object.keys(found).length > 0) event.preventDefault();
  };

  return (
    <>
      <header className="form-page-header">
        {props.eyebrow && <p className="form-page-eyebrow">{props.eyebrow}</p>}
        <h1>{page.title}</h1>
        {page.description && <p className="form-page-description">{page.description}</p>}
      </header>
      {props.problem && (
        <div className="banner error" role="alert" data-testid="form-problem">
          {props.problem}
        </div>
      )}
      {refused.length > 0 && (
        <div className="banner error" role="alert" data-testid="form-errors">
          {refused.length === 1 ? '1 field needs' : `${refused.length} fields need`} your attention:{' '}
          {refused.map((f) => f.label).join(', ')}. Nothing was sent.
          {hasFiles && ' Files must be chosen again.'}
        </div>
      )}
      <Form
        method="post"
        encType={hasFiles ? 'multipart/form-data' : 'application/x-www-form-urlencoded'}
        className="form-page-form"
        onSubmit={checkFiles}
        noValidate
      >
        {Object.entries(props.hidden ?? {}).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <ApprovalFormFields
          idPrefix="form"
          fields={page.fields}
          values={values}
          errors={shown}
          maxFileBytes={page.maxFileBytes}
          onChange={setValues}
        />
        <p className="muted form-page-required">Fields marked * are required.</p>
        <button className="btn primary form-page-submit" type="submit" disabled={busy}>
          {busy ? 'Sending…' : page.submitLabel}
        </button>
      </Form>
    </>
  );
}
