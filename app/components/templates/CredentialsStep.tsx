// Wizard step 2: for each credential the template needs, one of the workspace's credentials of that type, or a new
// one made inline with the credentials page's own form (CredentialForm) opened on that type.
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { TemplateCredential } from '../../../contracts/templates';
import { apiFetch } from '../../lib/api-client';
import type { CredentialTypeInfo } from '../../lib/credential-api.server';
import { CredentialForm, type CredentialRow } from '../credentials/CredentialForm';
import { errorText } from './wizard-types';

type Loaded =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; types: CredentialTypeInfo[]; credentials: CredentialRow[] };

export function CredentialsStep(props: {
  needs: TemplateCredential[];
  chosen: Record<string, string>;
  problems: Record<string, string>;
  onChoose(key: string, credentialId: string): void;
}) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [creating, setCreating] = useState<TemplateCredential | null>(null);
  const types = props.needs.map((n) => n.type).join(',');

  useEffect(() => {
    let live = true;
    Promise.all([
      apiFetch<{ types: CredentialTypeInfo[] }>('/api/credential-types'),
      apiFetch<{ credentials: CredentialRow[] }>(`/api/credentials?type=${encodeURIComponent(types)}`),
    ])
      .then(([t, c]) => live && setLoaded({ status: 'ready', types: t.types, credentials: c.credentials }))
      .catch((err) => live && setLoaded({ status: 'failed', message: errorText(err) }));
    return () => {
      live = false;
    };
  }, [types]);

  if (loaded.status === 'loading')
    return (
      <p className="muted" role="status">
        <span className="spinner" /> Loading this workspace’s credentials…
      </p>
    );
  if (loaded.status === 'failed')
    return (
      <div className="banner error" role="alert">
        Could not load credentials: {loaded.message} You can still create the workflow and pick credentials in the
        editor, or ask someone who may manage credentials on the <a href="/credentials">Credentials</a> page.
      </div>
    );

  return (
    <div className="wizard-fields">
      {props.needs.map((need) => {
        const id = `template-credential-${need.key}`;
        const own = loaded.credentials.filter((c) => c.type === need.type);
        const typeTitle = loaded.types.find((t) => t.type === need.type)?.title ?? need.type;
        const problem = props.problems[need.key];
        return (
          <div className="field" key={need.key}>
            <label htmlFor={id}>
              {need.label} <span className="badge">{typeTitle}</span>
            </label>
            <div className="wizard-pick-row">
              <select
                id={id}
                className="select"
                value={props.chosen[need.key] ?? ''}
                aria-invalid={problem ? true : undefined}
                aria-describedby={`${id}-note`}
                onChange={(e) => props.onChoose(need.key, e.target.value)}
              >
                <option value="">{own.length ? 'Choose a credential…' : `No ${typeTitle} credential yet`}</option>
                {own.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
              <button className="btn" type="button" onClick={() => setCreating(need)}>
                New {typeTitle}…
              </button>
            </div>
            {problem ? (
              <span className="error-text" id={`${id}-note`} role="alert">
                {problem}
              </span>
            ) : (
              <span className="hint" id={`${id}-note`}>
                {need.description ?? `Used by ${need.targets.length} node${need.targets.length === 1 ? '' : 's'}.`}
              </span>
            )}
          </div>
        );
      })}
      {/* Portalled out of the wizard's <form>: a form inside a form would submit the outer one. */}
      {creating &&
        createPortal(
          <CredentialForm
            open
            types={loaded.types.filter((t) => t.type === creating.type)}
            editing={null}
            initialType={creating.type}
            onSaved={(credential) => {
              setLoaded({ ...loaded, credentials: [...loaded.credentials, credential] });
              props.onChoose(creating.key, credential.id);
              setCreating(null);
            }}
            onClose={() => setCreating(null)}
          />,
          document.body,
        )}
    </div>
  );
}
