// Wizard step 2: for each credential the template (or listing) needs, one of the workspace's credentials of a type
// its node params accept, or a new one made inline with the credentials page's own form (CredentialForm) opened on
// the accepted types: a param taking several types (the HTTP node's) lists credentials of each, and "New" lets the
// person choose the type.
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { apiFetch } from '../../lib/api-client';
import type { CredentialTypeInfo } from '../../lib/credential-api.server';
import { CredentialForm, type CredentialRow } from '../credentials/CredentialForm';
import { errorText, type CredentialNeed } from './wizard-types';

type Loaded =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; types: CredentialTypeInfo[]; credentials: CredentialRow[] };

export function CredentialsStep(props: {
  needs: CredentialNeed[];
  chosen: Record<string, string>;
  problems: Record<string, string>;
  onChoose(key: string, credentialId: string): void;
}) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [creating, setCreating] = useState<CredentialNeed | null>(null);
  const types = [...new Set(props.needs.flatMap((n) => n.types))].join(',');

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

  const titleOf = (type: string) => loaded.types.find((t) => t.type === type)?.title ?? type;
  return (
    <div className="wizard-fields">
      {props.needs.map((need) => {
        const id = `template-credential-${need.key}`;
        const fits = need.types;
        const several = fits.length > 1;
        const own = loaded.credentials.filter((c) => fits.includes(c.type));
        const problem = props.problems[need.key];
        return (
          <div className="field" key={need.key}>
            <label htmlFor={id}>
              {need.label}{' '}
              {fits.map((type) => (
                <span className="badge" key={type}>
                  {titleOf(type)}
                </span>
              ))}
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
                <option value="">
                  {own.length
                    ? 'Choose a credential…'
                    : several
                      ? 'No credential of these types yet'
                      : `No ${titleOf(fits[0])} credential yet`}
                </option>
                {own.map((c) => (
                  <option key={c.id} value={c.id}>
                    {/* With several types the name alone does not say which kind of secret it holds. */}
                    {several ? `${c.name} — ${titleOf(c.type)}` : c.name}
                  </option>
                ))}
              </select>
              <button className="btn" type="button" onClick={() => setCreating(need)}>
                {several ? 'New credential…' : `New ${titleOf(fits[0])}…`}
              </button>
            </div>
            {problem ? (
              <span className="error-text" id={`${id}-note`} role="alert">
                {problem}
              </span>
            ) : (
              <span className="hint" id={`${id}-note`}>
                {need.description ?? `Used by ${need.targets.length} node${need.targets.length === 1 ? '' : 's'}.`}
                {several && ` A credential of any of these ${fits.length} types fits.`}
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
            types={creating.types.flatMap((type) => loaded.types.filter((t) => t.type === type))}
            editing={null}
            initialType={creating.types[0]}
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
