// The Probe action of a model's row: asks the model what it supports (POST /api/models/:id/probe). A probe loads a
// local model or calls a remote one a few times, so it may take up to a minute: the button counts the seconds
// meanwhile. A probe that fails stores its error on the model (shown in the row); a refused or timed-out request is
// said here. A model just added probes itself once (`autoStart`).
import { useEffect, useRef, useState } from 'react';
import { apiFetch } from '../../lib/api-client';
import type { ModelRow } from './model-view';

export function ProbeButton({
  model,
  onDone,
  autoStart = false,
}: {
  model: Pick<ModelRow, 'id' | 'name'>;
  onDone(): void;
  /** Probe once as soon as the button shows: a model just added has never been probed. */
  autoStart?: boolean;
}) {
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [seconds, setSeconds] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (startedAt === null) return;
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - startedAt) / 1000)), 1000);
    return () => clearInterval(timer);
  }, [startedAt]);

  const probe = async () => {
    setStartedAt(Date.now());
    setSeconds(0);
    setError(null);
    try {
      await apiFetch(`/api/models/${model.id}/probe`, { method: 'POST' });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setStartedAt(null);
      onDone();
    }
  };

  const started = useRef(false);
  useEffect(() => {
    if (!autoStart || started.current) return;
    started.current = true;
    void probe();
  }, [autoStart]);

  const probing = startedAt !== null;
  return (
    <span className="probe-action">
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
      {probing && (
        <span className="muted" role="status">
          Probing… {seconds} s
        </span>
      )}
      <button
        className="btn ghost small"
        type="button"
        aria-label={`Probe ${model.name}`}
        title="Ask the model what it supports: tool calling, JSON, context length, vision (up to a minute)"
        disabled={probing}
        aria-busy={probing || undefined}
        onClick={() => void probe()}
      >
        {probing && <span className="spinner" />} Probe
      </button>
    </span>
  );
}
