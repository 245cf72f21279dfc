// A select of the workspace's credentials of the types a `credential` param accepts, for the inspector. The node
// stores only the id; "New credential…" opens the credentials page in a new tab, and Reload picks up what was
// added there. A picked credential that no longer exists (deleted, or from another workspace) is said so.
import { useCallback, useEffect, useState } from 'react';
import { ApiError, apiFetch } from '../../lib/api-client';

interface Option {
  id: string;
  name: string;
  type: string;
}

type Listed = { status: 'loading' } | { status: 'ready'; credentials: Option[] } | { status: 'error'; message: string };

export function CredentialPicker(props: {
  id: string;
  label: string;
  types: readonly string[];
  value: string | undefined;
  readOnly: boolean;
  invalid?: boolean;
  describedBy?: string;
  onChange(id: string | undefined): void;
}) {
  const { id, types, value } = props;
  const [listed, setListed] = useState<Listed>({ status: 'loading' });
  const typeList = types.join(',');
  const load = useCallback(() => {
    setListed({ status: 'loading' });
    apiFetch<{ credentials: Option[] }>(`/api/credentials?type=${encodeURIComponent(typeList)}`).then(
      (r) => setListed({ status: 'ready', credentials: r.credentials }),
      (err: unknown) =>
        setListed({ status: 'error', message: err instanceof ApiError || err instanceof Error ? err.message : '' }),
    );
  }, [typeList]);
  useEffect(load, [load]);

  const credentials = listed.status === 'ready' ? listed.credentials : [];
  const missing = listed.status === 'ready' && value !== undefined && !credentials.some((c) => c.id === value);
  const statusId = `${id}-status`;
  return (
    <div className="credential-picker">
      <div className="workflow-picker-row">
        <select
          id={id}
          className={`select${props.invalid || missing ? ' invalid' : ''}`}
          aria-label={props.label}
          aria-invalid={props.invalid || missing || undefined}
          aria-describedby={[props.describedBy, statusId].filter(Boolean).join(' ')}
          disabled={props.readOnly || listed.status !== 'ready'}
          value={value ?? ''}
          onChange={(e) => props.onChange(e.target.value || undefined)}
        >
          <option value="">{listed.status === 'loading' ? 'Loading credentials…' : 'Pick a credential'}</option>
          {missing && <option value={value}>(missing credential)</option>}
          {credentials.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <button type="button" className="btn small" onClick={load} title="Reload the credentials">
          Reload
        </button>
      </div>
      <div className="workflow-picker-status" id={statusId}>
        {listed.status === 'error' && (
          <span className="error-text">Could not load the credentials: {listed.message}</span>
        )}
        {missing && (
          <span className="field-warning">
            This credential no longer exists in this workspace; pick another, or the node fails when it runs.
          </span>
        )}
        {listed.status === 'ready' && credentials.length === 0 && (
          <span className="hint">No credential of a type this node takes yet.</span>
        )}
        {!props.readOnly && (
          <a
            className="link-button"
            href={`/credentials?new=${encodeURIComponent(types[0] ?? '')}`}
            target="_blank"
            rel="noreferrer"
          >
            New credential…
          </a>
        )}
      </div>
    </div>
  );
}
