// How long this workflow's finished runs are kept: its own limits, or the server's defaults when left empty.
// Saved through PATCH /api/workflows/:id; retention runs in the worker's housekeeping (db/retention.ts).
import { useState, type FormEvent } from 'react';
import { ApiError, apiFetch } from '../../lib/api-client';

export interface RetentionLimits {
  days: number | null;
  runs: number | null;
}

export function RetentionSettings(props: {
  workflowId: string;
  own: RetentionLimits;
  /** The server's defaults (BATON_RETENTION_DAYS / BATON_RETENTION_RUNS); null keeps forever. */
  defaults: RetentionLimits;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const limit = (name: string) => {
      const text = String(form.get(name) ?? '').trim();
      return text === '' ? null : Number(text);
    };
    setPending(true);
    setError(null);
    setSaved(false);
    try {
      await apiFetch(`/api/workflows/${encodeURIComponent(props.workflowId)}`, {
        method: 'PATCH',
        body: { retention: { days: limit('days'), runs: limit('runs') } },
      });
      setSaved(true);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setPending(false);
    }
  };

  const fallback = (value: number | null, unit: string) =>
    value === null ? 'empty: keep forever' : `empty: the default, ${value} ${unit}`;

  return (
    <details className="card" style={{ marginBottom: 16 }}>
      <summary>Run retention</summary>
      <form onSubmit={(e) => void save(e)} style={{ display: 'flex', gap: 16, alignItems: 'flex-end', marginTop: 12 }}>
        <div className="field">
          <label htmlFor="retention-days">Delete finished runs after (days)</label>
          <input
            id="retention-days"
            className="input"
            name="days"
            type="number"
            min={0.01}
            step="any"
            defaultValue={props.own.days ?? ''}
            placeholder={fallback(props.defaults.days, 'days')}
          />
        </div>
        <div className="field">
          <label htmlFor="retention-runs">Keep at most (finished runs)</label>
          <input
            id="retention-runs"
            className="input"
            name="runs"
            type="number"
            min={1}
            step={1}
            defaultValue={props.own.runs ?? ''}
            placeholder={fallback(props.defaults.runs, 'runs')}
          />
        </div>
        <button className="btn" type="submit" disabled={pending}>
          {pending && <span className="spinner" />} Save
        </button>
        {saved && (
          <span className="muted" role="status">
            Saved
          </span>
        )}
        {error && (
          <span className="error-text" role="alert">
            {error}
          </span>
        )}
      </form>
    </details>
  );
}
