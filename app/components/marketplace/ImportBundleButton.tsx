// "Import bundle" on the marketplace page (docs/decisions/070): pick a .baton.json file exported from a Baton, and
// the server verifies every signature before it becomes a listing of this workspace. A refusal (a tampered file, a
// revoked key, a version imported before) is shown as the server words it.
import { Link } from '@remix-run/react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { BUNDLE_EXTENSION, BUNDLE_MAX_BYTES, type BundleImportResult } from '../../../contracts/marketplace-bundle';
import './listing-trust.css';

type State =
  { step: 'pick'; error?: string } | { step: 'sending' } | { step: 'done'; result: BundleImportResult; title: string };

async function sendBundle(
  text: string,
): Promise<{ ok: true; result: BundleImportResult } | { ok: false; error: string }> {
  let res: Response;
  try {
    res = await fetch('/api/marketplace/bundles', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: text,
      credentials: 'same-origin',
    });
  } catch (err) {
    return { ok: false, error: `Cannot reach the Baton server (${(err as Error).message}).` };
  }
  const data = (await res.json().catch(() => ({}))) as BundleImportResult & { error?: { message?: string } };
  if (res.ok) return { ok: true, result: data };
  return { ok: false, error: data.error?.message ?? `The server answered ${res.status}.` };
}

/** The listing title a bundle names, for the success message (the server has checked the rest). */
function titleIn(text: string): string {
  try {
    return String((JSON.parse(text) as { listing?: { title?: unknown } }).listing?.title ?? 'the listing');
  } catch {
    return 'the listing';
  }
}

export function ImportBundleButton() {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const fileId = useId();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<State>({ step: 'pick' });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const close = () => {
    setOpen(false);
    setFile(null);
    setState({ step: 'pick' });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return setState({ step: 'pick', error: `Pick a ${BUNDLE_EXTENSION} file first.` });
    if (file.size > BUNDLE_MAX_BYTES)
      return setState({ step: 'pick', error: `${file.name} is larger than 2 MB, the most a bundle may be.` });
    setState({ step: 'sending' });
    const text = await file.text();
    const sent = await sendBundle(text);
    setState(
      sent.ok ? { step: 'done', result: sent.result, title: titleIn(text) } : { step: 'pick', error: sent.error },
    );
  };

  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        Import bundle
      </button>
      <dialog ref={ref} className="confirm import-bundle" onClose={close} aria-labelledby={titleId}>
        <h2 id={titleId}>Import a signed bundle</h2>
        {state.step === 'done' ? (
          <>
            <p role="status">
              Imported v{state.result.version} of <strong>{state.title}</strong>
              {state.result.createdListing ? ' as a listing of this workspace.' : ' into its listing here.'} Its
              signature verified.
            </p>
            <div className="dialog-actions">
              <button type="button" className="btn" onClick={close}>
                Close
              </button>
              <Link className="btn primary" to={`/marketplace/${state.result.listingId}`} onClick={close}>
                Open listing
              </Link>
            </div>
          </>
        ) : (
          <form onSubmit={(e) => void submit(e)} noValidate>
            <p className="muted">
              A bundle ({BUNDLE_EXTENSION}) is one signed listing version exported from a Baton. It is checked before
              anything is stored: a file changed after it was signed, or signed by a revoked key, is refused. It becomes
              a listing only this workspace sees.
            </p>
            <div className="field import-drop">
              <label htmlFor={fileId}>Bundle file</label>
              <input
                id={fileId}
                type="file"
                accept={`${BUNDLE_EXTENSION},.json,application/json`}
                aria-invalid={state.step === 'pick' && state.error ? true : undefined}
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setState({ step: 'pick' });
                }}
              />
              {file && <span className="muted import-file">{file.name}</span>}
            </div>
            {state.step === 'pick' && state.error && (
              <div className="banner error" role="alert">
                {state.error}
              </div>
            )}
            <div className="dialog-actions">
              <button type="button" className="btn" onClick={close} disabled={state.step === 'sending'}>
                Cancel
              </button>
              <button
                type="submit"
                className="btn primary"
                disabled={state.step === 'sending' || !file}
                aria-busy={state.step === 'sending' || undefined}
              >
                {state.step === 'sending' && <span className="spinner" />} Verify and import
              </button>
            </div>
          </form>
        )}
      </dialog>
    </>
  );
}
