// The install wizard (docs/decisions/069): what the workflow may do (with "I allow these"), who signed it and whether
// the signature verifies (an unverified version cannot be installed, and the step says why), a credential of this
// workspace for each credential param (the template wizard's step: pick one of any type the param accepts, or create
// one choosing the type), a data table for each table the workflow uses (the template wizard's step: create one with
// the listed columns or pick one), then the name. The server creates the new tables, installs and answers the new
// workflow, which opens in the editor.
import { useNavigate } from '@remix-run/react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ListingVersionView, ListingView } from '../../../contracts/marketplace';
import type { InstallPreflight } from '../../../contracts/marketplace-install';
import type { TemplateTable } from '../../../contracts/templates';
import { apiFetch } from '../../lib/api-client';
import { CredentialsStep } from '../templates/CredentialsStep';
import { tableChoicesBody, tableProblems, TablesStep } from '../templates/TablesStep';
import { errorText, type CredentialNeed, type TableChoice } from '../templates/wizard-types';
import { WizardSteps } from '../templates/WizardSteps';

type Step = 'permissions' | 'signer' | 'credentials' | 'tables' | 'name';
const STEP_TITLES: Record<Step, string> = {
  permissions: 'Permissions',
  signer: 'Signer',
  credentials: 'Credentials',
  tables: 'Data tables',
  name: 'Install',
};

/** The manifest's credential params as the template wizard's step asks for them; the key is `<nodeId>.<param>`. */
export function credentialNeeds(version: ListingVersionView): CredentialNeed[] {
  return version.manifest.credentials.map((c) => ({
    key: `${c.nodeId}.${c.param}`,
    label: c.nodeName,
    type: c.types[0] ?? '',
    // Every type the param accepts: the step lists credentials of each and lets "New" choose among them.
    types: c.types,
    description: `The "${c.param}" of node ${c.nodeName}.`,
    targets: [{ node: c.nodeId, param: c.param }],
  }));
}

/** The manifest's data tables as the template wizard's step asks for them. */
export function tableNeeds(version: ListingVersionView): TemplateTable[] {
  return (version.manifest.tables ?? []).map((t) => ({
    key: t.key,
    name: t.name,
    columns: t.columns,
    targets: t.targets.map((x) => ({ node: x.nodeId, param: x.param })),
  }));
}

const initialTables = (needs: TemplateTable[]): Record<string, TableChoice> =>
  Object.fromEntries(needs.map((n) => [n.key, { mode: 'create', name: n.name } as TableChoice]));

function PermissionsStep({ version }: { version: ListingVersionView }) {
  const { permissions, inputs } = version.manifest;
  const items = [
    permissions.domains.length > 0 && (
      <li key="net">
        Calls the network:{' '}
        {permissions.domains.map((d) => (d === '*' ? 'any address an expression or script decides' : d)).join(', ')}
      </li>
    ),
    permissions.browser && <li key="browser">Drives a web browser (Chromium) on a worker</li>,
    permissions.gpu && <li key="gpu">Runs models on a GPU worker</li>,
    permissions.email && <li key="email">Sends email through a mail server you choose</li>,
  ].filter(Boolean);
  return (
    <div className="wizard-fields">
      {items.length ? (
        <ul className="install-permissions">{items}</ul>
      ) : (
        <p className="muted">This workflow calls no network address, browser, GPU or mail server of its own.</p>
      )}
      {inputs.length > 0 && (
        <p className="muted">
          When it runs, it asks for: {inputs.map((i) => i.label + (i.required ? '' : ' (optional)')).join(', ')}.
        </p>
      )}
    </div>
  );
}

function SignerStep(props: { version: ListingVersionView; publisher: string; problems: string[] }) {
  const { version } = props;
  return (
    <div className="wizard-fields">
      <p>
        Signed by <strong>{props.publisher}</strong>, key <code className="mono">{version.keyId}</code>
      </p>
      {version.verified ? (
        <p className="install-verified">
          <span className="badge succeeded">Verified</span> The signature matches this version’s content, and the key is{' '}
          {version.keyStatus === 'retired' ? 'retired (it still vouches for what it signed)' : 'active'}.
        </p>
      ) : (
        <p>
          <span className="badge failed">Not verified</span>
        </p>
      )}
      {props.problems.length > 0 && (
        <div className="banner error" role="alert">
          This version cannot be installed: {props.problems.join(' ')}
        </div>
      )}
    </div>
  );
}

export interface InstallListingDialogProps {
  open: boolean;
  listing: ListingView;
  version: ListingVersionView;
  preflight: InstallPreflight;
  onClose(): void;
}

export function InstallListingDialog({ open, listing, version, preflight, onClose }: InstallListingDialogProps) {
  const navigate = useNavigate();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const needs = credentialNeeds(version);
  const tables = tableNeeds(version);
  const steps = (['permissions', 'signer', 'credentials', 'tables', 'name'] as Step[]).filter(
    (s) => (s !== 'credentials' || needs.length > 0) && (s !== 'tables' || tables.length > 0),
  );
  const [index, setIndex] = useState(0);
  const [allowed, setAllowed] = useState(false);
  const [credentials, setCredentials] = useState<Record<string, string>>({});
  const [chosenTables, setChosenTables] = useState(() => initialTables(tables));
  const [tableIssues, setTableIssues] = useState<Record<string, string>>({});
  const [name, setName] = useState(listing.title);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const step = steps[index];
  const problems = preflight.problems[version.version] ?? [];

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setIndex(0);
      setAllowed(false);
      setError(null);
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const install = async () => {
    setBusy(true);
    setError(null);
    try {
      const { workflow } = await apiFetch<{ workflow: { id: string } }>(
        `/api/marketplace/listings/${listing.id}/install`,
        {
          method: 'POST',
          body: {
            version: version.version,
            name: name.trim(),
            credentials: Object.fromEntries(Object.entries(credentials).filter(([, id]) => id)),
            tables: tableChoicesBody(chosenTables),
          },
        },
      );
      navigate(`/workflows/${workflow.id}`);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  const next = (event: FormEvent) => {
    event.preventDefault();
    // The inline credential form is portalled, but React still bubbles its submit through this form's handler.
    if (event.target !== event.currentTarget) return;
    setError(null);
    if (step === 'permissions' && !allowed) return setError('Tick “I allow these” to go on, or cancel.');
    if (step === 'signer' && problems.length) return setError('An unverified version cannot be installed.');
    if (step === 'tables') {
      const found = tableProblems(tables, chosenTables);
      setTableIssues(found);
      if (Object.keys(found).length) return setError('A table needs a look: see the message under it.');
    }
    if (step === 'name') {
      if (!name.trim()) return setError('Give the workflow a name.');
      return void install();
    }
    setIndex(index + 1);
  };

  return (
    <dialog ref={ref} className="confirm install-listing" onClose={onClose} aria-labelledby={titleId}>
      <div className="wizard">
        <h2 id={titleId}>
          Install “{listing.title}” <span className="mono muted">v{version.version}</span>
        </h2>
        <WizardSteps steps={steps} titles={STEP_TITLES} index={index} />
        <form onSubmit={next} noValidate>
          <h3 className="wizard-step-title">
            Step {index + 1} of {steps.length}: {STEP_TITLES[step]}
          </h3>
          {step === 'permissions' && (
            <>
              <PermissionsStep version={version} />
              <label className="install-allow">
                <input type="checkbox" checked={allowed} onChange={(e) => setAllowed(e.target.checked)} /> I allow these
              </label>
            </>
          )}
          {step === 'signer' && (
            <SignerStep version={version} publisher={preflight.publisher.name} problems={problems} />
          )}
          {step === 'credentials' && (
            <CredentialsStep
              needs={needs}
              chosen={credentials}
              problems={{}}
              onChoose={(key, id) => setCredentials((c) => ({ ...c, [key]: id }))}
            />
          )}
          {step === 'tables' && (
            <TablesStep
              needs={tables}
              chosen={chosenTables}
              problems={tableIssues}
              onChoose={(key, choice) => setChosenTables((c) => ({ ...c, [key]: choice }))}
            />
          )}
          {step === 'name' && (
            <div className="wizard-fields">
              <div className="field">
                <label htmlFor={`${titleId}-name`}>Workflow name</label>
                <input
                  id={`${titleId}-name`}
                  className="input"
                  value={name}
                  maxLength={200}
                  onChange={(e) => setName(e.target.value)}
                />
              </div>
              {needs.some((n) => !credentials[n.key]) && (
                <div className="banner warning">
                  Some credentials are not chosen yet: the workflow is installed as a draft, and you pick them on its
                  nodes before it can run.
                </div>
              )}
            </div>
          )}
          {error && (
            <div className="banner error" role="alert">
              {error}
            </div>
          )}
          <div className="wizard-actions">
            <button className="btn ghost" type="button" onClick={onClose} disabled={busy}>
              Cancel
            </button>
            <span className="spacer" />
            {busy && (
              <span className="muted" role="status">
                <span className="spinner" /> Installing…
              </span>
            )}
            {index > 0 && (
              <button className="btn" type="button" onClick={() => setIndex(index - 1)} disabled={busy}>
                Back
              </button>
            )}
            <button className="btn primary" type="submit" disabled={busy || (step === 'signer' && problems.length > 0)}>
              {step === 'name' ? 'Install workflow' : 'Next'}
            </button>
          </div>
        </form>
      </div>
    </dialog>
  );
}
