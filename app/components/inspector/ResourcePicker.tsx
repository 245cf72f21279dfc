// A select of one kind of the workspace's resources (credentials, data tables) for a node's inspector. The node
// stores only the id; Reload picks up what was made in another tab, and a picked id that no longer exists in this
// workspace (deleted, or from another workspace) is said so. The wrappers add their own hints and links.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ApiError, apiFetch } from '../../lib/api-client';

export interface PickerProps {
  id: string;
  label: string;
  value: string | undefined;
  readOnly: boolean;
  invalid?: boolean;
  describedBy?: string;
  onChange(id: string | undefined): void;
}

type Listed<T> = { status: 'loading' } | { status: 'ready'; items: T[] } | { status: 'error'; message: string };

export function ResourcePicker<T extends { id: string; name: string }>(
  props: PickerProps & {
    /** The list's address and how its body holds the items. */
    url: string;
    items(body: unknown): T[];
    /** "table", "credential": in "Pick a table", "Loading tables…", "(missing table)". */
    noun: string;
    /** Shown when the list is empty. */
    empty: string;
    /** More status lines under the select: what the picked item holds, a link to make one. */
    children?: (picked: T | undefined) => ReactNode;
  },
) {
  const { id, value, url, items } = props;
  const [listed, setListed] = useState<Listed<T>>({ status: 'loading' });
  const load = useCallback(() => {
    setListed({ status: 'loading' });
    apiFetch<unknown>(url).then(
      (body) => setListed({ status: 'ready', items: items(body) }),
      (err: unknown) =>
        setListed({ status: 'error', message: err instanceof ApiError || err instanceof Error ? err.message : '' }),
    );
  }, [url, items]);
  useEffect(load, [load]);

  const list = listed.status === 'ready' ? listed.items : [];
  const picked = list.find((item) => item.id === value);
  const missing = listed.status === 'ready' && value !== undefined && !picked;
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
          <option value="">{listed.status === 'loading' ? `Loading ${props.noun}s…` : `Pick a ${props.noun}`}</option>
          {missing && <option value={value}>(missing {props.noun})</option>}
          {list.map((item) => (
            <option key={item.id} value={item.id}>
              {item.name}
            </option>
          ))}
        </select>
        <button type="button" className="btn small" onClick={load} title={`Reload the ${props.noun}s`}>
          Reload
        </button>
      </div>
      <div className="workflow-picker-status" id={statusId}>
        {listed.status === 'error' && (
          <span className="error-text">
            Could not load the {props.noun}s: {listed.message}
          </span>
        )}
        {missing && (
          <span className="field-warning">
            This {props.noun} no longer exists in this workspace; pick another, or the node fails when it runs.
          </span>
        )}
        {listed.status === 'ready' && list.length === 0 && <span className="hint">{props.empty}</span>}
        {props.children?.(picked)}
      </div>
    </div>
  );
}
