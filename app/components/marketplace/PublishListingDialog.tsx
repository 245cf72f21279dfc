// "Publish to marketplace" for the open workflow (docs/decisions/068). It asks the server what the workflow has: no
// published version → publish that first; no listing yet → the listing's fields and version 1.0.0; a listing → a new
// version (the next minor suggested) with its changelog. A refusal from the API is shown at the field it names.
import { Link } from '@remix-run/react';
import { useEffect, useId, useRef, useState } from 'react';
import type { ListingView } from '../../../contracts/marketplace';
import { TEMPLATE_CATEGORIES } from '../../../contracts/templates';
import { MarkdownText } from './MarkdownText';
import {
  fieldOfRefusal,
  firstListingBody,
  newVersionBody,
  nextMinorVersion,
  type PublishField,
  type PublishFormValues,
} from './publish-form';

interface WorkflowListings {
  workflow: { id: string; name: string; publishedVersion: number | null };
  listings: ListingView[];
  canPublish: boolean;
}

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; data: WorkflowListings };

const ICONS = ['', 'workflow', 'mail', 'user', 'calendar', 'form', 'browser', 'database', 'ai', 'globe', 'document'];

async function call(method: string, url: string, body?: unknown) {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (err) {
    throw new Error(`Cannot reach the Baton server (${(err as Error).message}).`);
  }
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  const message = (data.error as { message?: string } | undefined)?.message ?? `The server answered ${res.status}.`;
  return { status: res.status, data, message };
}

function Field(props: {
  label: string;
  name: PublishField;
  error?: string;
  hint?: string;
  children: (a11y: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => React.ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children({
        id,
        ...(props.error ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {}),
      })}
      {props.error ? (
        <span className="error-text" id={errorId} role="alert">
          {props.error}
        </span>
      ) : (
        props.hint && <span className="hint">{props.hint}</span>
      )}
    </div>
  );
}

function DescriptionField(props: { value: string; error?: string; onChange(value: string): void }) {
  const [preview, setPreview] = useState(false);
  return (
    <Field label="Description" name="description" error={props.error} hint="Markdown: headings, lists, links, code.">
      {(a11y) => (
        <div className="publish-description">
          <div className="publish-tabs" role="group" aria-label="Description view">
            <button type="button" className="btn ghost small" aria-pressed={!preview} onClick={() => setPreview(false)}>
              Write
            </button>
            <button type="button" className="btn ghost small" aria-pressed={preview} onClick={() => setPreview(true)}>
              Preview
            </button>
          </div>
          {preview ? (
            <div className="publish-preview" aria-label="Description preview">
              {props.value.trim() ? (
                <MarkdownText source={props.value} />
              ) : (
                <p className="muted">Nothing to preview.</p>
              )}
            </div>
          ) : (
            <textarea
              {...a11y}
              className={`textarea${props.error ? ' invalid' : ''}`}
              rows={6}
              value={props.value}
              onChange={(e) => props.onChange(e.target.value)}
            />
          )}
        </div>
      )}
    </Field>
  );
}

export function PublishListingDialog(props: { open: boolean; workflowId: string; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [values, setValues] = useState<PublishFormValues | null>(null);
  const [errors, setErrors] = useState<Partial<Record<PublishField, string>>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState<{ listingId: string; version: string } | null>(null);

  const fetchState = async () => {
    setLoad({ state: 'loading' });
    try {
      const { status, data, message } = await call('GET', `/api/workflows/${props.workflowId}/listings`);
      if (status !== 200) return setLoad({ state: 'error', message });
      const ready = data as unknown as WorkflowListings;
      const listing = ready.listings[0];
      setValues({
        title: ready.workflow.name,
        description: '',
        category: 'Operations',
        tags: '',
        icon: '',
        visibility: 'instance',
        version: nextMinorVersion(listing?.latestVersion),
        changelog: listing ? '' : 'First release.',
      });
      setLoad({ state: 'ready', data: ready });
    } catch (err) {
      setLoad({ state: 'error', message: (err as Error).message });
    }
  };

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      dialog.showModal();
      setErrors({});
      setGeneral(null);
      setDone(null);
      void fetchState();
    }
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);

  const set = (field: PublishField) => (value: string) => {
    setValues((v) => (v ? { ...v, [field]: value } : v));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const ready = load.state === 'ready' ? load.data : null;
  const listing = ready?.listings[0];

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!ready || !values) return;
    setPending(true);
    setErrors({});
    setGeneral(null);
    try {
      const { status, data, message } = listing
        ? await call(
            'POST',
            `/api/marketplace/listings/${listing.id}/versions`,
            newVersionBody(ready.workflow.id, values),
          )
        : await call('POST', '/api/marketplace/listings', firstListingBody(ready.workflow.id, values));
      if (status === 201) {
        const version = (data.version as { version: string }).version;
        setDone({ listingId: listing?.id ?? (data.listing as ListingView).id, version });
        return;
      }
      const field = fieldOfRefusal(message, status);
      const shown = field && (!listing || field === 'version' || field === 'changelog') ? field : undefined;
      if (shown) setErrors({ [shown]: message });
      else setGeneral(message);
    } catch (err) {
      setGeneral((err as Error).message);
    } finally {
      setPending(false);
    }
  };

  return (
    <dialog ref={ref} className="confirm publish-listing" onClose={props.onClose} aria-labelledby={titleId}>
      <h2 id={titleId}>Publish to marketplace</h2>
      {load.state === 'loading' && (
        <p className="muted" role="status">
          <span className="spinner" /> Loading the workflow’s listing…
        </p>
      )}
      {load.state === 'error' && (
        <div className="banner error" role="alert">
          {load.message}
          <button type="button" className="btn small" onClick={() => void fetchState()}>
            Try again
          </button>
        </div>
      )}
      {ready && done && (
        <div className="publish-done" role="status">
          <p>
            Listed <strong>{listing?.title ?? values?.title}</strong> as version <strong>{done.version}</strong>.
          </p>
          <Link className="btn primary" to={`/marketplace/${done.listingId}`}>
            Open the listing
          </Link>
        </div>
      )}
      {ready && !done && ready.workflow.publishedVersion === null && (
        <p className="banner info">
          “{ready.workflow.name}” has no published version yet. Publish it first (Publish, in the editor’s bar): a
          listing is made from a published version, never from a draft.
        </p>
      )}
      {ready && !done && ready.workflow.publishedVersion !== null && !ready.canPublish && (
        <p className="banner info">Your role in this workspace cannot publish; an editor or admin can.</p>
      )}
      {ready && !done && values && ready.workflow.publishedVersion !== null && ready.canPublish && (
        <form id={`${titleId}-form`} className="publish-form" onSubmit={submit} noValidate>
          <p className="muted">
            {listing ? (
              <>
                A new version of <Link to={`/marketplace/${listing.id}`}>{listing.title}</Link> (latest v
                {listing.latestVersion}) from published version {ready.workflow.publishedVersion}.
              </>
            ) : (
              <>
                Lists published version {ready.workflow.publishedVersion}. Credentials and secrets are removed; people
                who install it pick their own.
              </>
            )}
          </p>
          {!listing && (
            <>
              <Field label="Title" name="title" error={errors.title}>
                {(a11y) => (
                  <input
                    {...a11y}
                    className={`input${errors.title ? ' invalid' : ''}`}
                    value={values.title}
                    onChange={(e) => set('title')(e.target.value)}
                  />
                )}
              </Field>
              <DescriptionField value={values.description} error={errors.description} onChange={set('description')} />
              <div className="publish-row">
                <Field label="Category" name="category" error={errors.category}>
                  {(a11y) => (
                    <>
                      <input
                        {...a11y}
                        className={`input${errors.category ? ' invalid' : ''}`}
                        list={`${titleId}-categories`}
                        value={values.category}
                        onChange={(e) => set('category')(e.target.value)}
                      />
                      <datalist id={`${titleId}-categories`}>
                        {TEMPLATE_CATEGORIES.map((c) => (
                          <option key={c} value={c} />
                        ))}
                      </datalist>
                    </>
                  )}
                </Field>
                <Field label="Icon" name="icon" error={errors.icon}>
                  {(a11y) => (
                    <select
                      {...a11y}
                      className="select"
                      value={values.icon}
                      onChange={(e) => set('icon')(e.target.value)}
                    >
                      {ICONS.map((i) => (
                        <option key={i} value={i}>
                          {i || 'None'}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </div>
              <Field label="Tags" name="tags" error={errors.tags} hint="Comma-separated, at most 10.">
                {(a11y) => (
                  <input
                    {...a11y}
                    className={`input${errors.tags ? ' invalid' : ''}`}
                    value={values.tags}
                    placeholder="onboarding, hr"
                    onChange={(e) => set('tags')(e.target.value)}
                  />
                )}
              </Field>
              <Field label="Visibility" name="visibility" error={errors.visibility}>
                {(a11y) => (
                  <select
                    {...a11y}
                    className="select"
                    value={values.visibility}
                    onChange={(e) => set('visibility')(e.target.value)}
                  >
                    <option value="workspace">This workspace only</option>
                    <option value="instance">Every workspace on this Baton</option>
                    <option value="public">Public: also this Baton’s public catalog</option>
                  </select>
                )}
              </Field>
            </>
          )}
          <Field label="Version" name="version" error={errors.version} hint="Semver: MAJOR.MINOR.PATCH, e.g. 1.2.0.">
            {(a11y) => (
              <input
                {...a11y}
                className={`input mono${errors.version ? ' invalid' : ''}`}
                value={values.version}
                onChange={(e) => set('version')(e.target.value)}
              />
            )}
          </Field>
          <Field label="Changelog" name="changelog" error={errors.changelog} hint="What changed, in markdown.">
            {(a11y) => (
              <textarea
                {...a11y}
                className={`textarea${errors.changelog ? ' invalid' : ''}`}
                rows={3}
                value={values.changelog}
                onChange={(e) => set('changelog')(e.target.value)}
              />
            )}
          </Field>
        </form>
      )}
      {general && (
        <div className="banner error" role="alert">
          {general}
        </div>
      )}
      <div className="dialog-actions">
        <button className="btn" type="button" onClick={props.onClose} disabled={pending}>
          {done || (ready && (ready.workflow.publishedVersion === null || !ready.canPublish)) ? 'Close' : 'Cancel'}
        </button>
        {ready && !done && values && ready.workflow.publishedVersion !== null && ready.canPublish && (
          <button
            className="btn primary"
            type="submit"
            form={`${titleId}-form`}
            disabled={pending}
            aria-busy={pending || undefined}
          >
            {pending && <span className="spinner" />}{' '}
            {listing ? `Publish v${values.version.trim() || '…'}` : 'Publish listing'}
          </button>
        )}
      </div>
    </dialog>
  );
}
