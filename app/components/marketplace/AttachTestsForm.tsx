// The publisher's "Attach tests from a run" (docs/decisions/072): a successful run of the listed version becomes a
// test of it: its trigger input, its recorded side effects and the outputs expected of every other node. The API
// refuses, saying why, a run of another graph or one that does not pass in a dry run here. Attaching signs the
// version's tests with the key that signed the version (docs/decisions/072).
import { useId, useState, type FormEvent } from 'react';
import type { ListingTestsView } from '../../../contracts/marketplace-tests';
import { apiFetch } from '../../lib/api-client';

export interface AttachTestsFormProps {
  listingId: string;
  version: string;
  onAttached: (view: ListingTestsView) => void;
}

export function AttachTestsForm({ listingId, version, onAttached }: AttachTestsFormProps) {
  const [open, setOpen] = useState(false);
  const [runId, setRunId] = useState('');
  const [name, setName] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const view = await apiFetch<ListingTestsView>(
        `/api/marketplace/listings/${encodeURIComponent(listingId)}/versions/${encodeURIComponent(version)}/tests/attach`,
        { method: 'POST', body: { runId: runId.trim(), ...(name.trim() ? { name: name.trim() } : {}) } },
      );
      setRunId('');
      setName('');
      setOpen(false);
      onAttached(view);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setPending(false);
    }
  }

  if (!open)
    return (
      <button className="btn ghost small" type="button" onClick={() => setOpen(true)}>
        Attach tests from a run
      </button>
    );
  return (
    <form className="attach-tests" onSubmit={(e) => void submit(e)} aria-label={`Attach tests to v${version}`}>
      <p className="muted attach-tests-hint">
        Pick a successful run of v{version}: its HTTP, email and other side effects are recorded, and the other nodes’
        outputs become what the test expects. The version’s signing key signs its tests, so they travel in its bundle.
      </p>
      <div className="field">
        <label htmlFor={`${id}-run`}>Run id</label>
        <input
          id={`${id}-run`}
          className="input mono"
          value={runId}
          onChange={(e) => setRunId(e.target.value)}
          placeholder="run_…"
          required
          autoFocus
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>Test name (optional)</label>
        <input
          id={`${id}-name`}
          className="input"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={120}
        />
      </div>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      <div className="attach-tests-actions">
        <button className="btn primary small" type="submit" disabled={pending || runId.trim() === ''}>
          {pending ? 'Attaching…' : 'Attach tests'}
        </button>
        <button className="btn ghost small" type="button" onClick={() => setOpen(false)} disabled={pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
