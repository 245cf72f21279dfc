// The Models page's workspace routing card (db/ai-settings.ts): the model every LLM and Agent node falls back to
// after its own route, and the monthly budget of all the workspace's model calls.
import { useState } from 'react';
import { ApiError, apiFetch } from '../../lib/api-client';
import type { ModelRow } from './model-view';

export interface RoutingValues {
  fallbackModelId?: string;
  monthlyBudgetUsd?: number;
}

export function RoutingSettings(props: {
  models: ModelRow[];
  settings: RoutingValues;
  canWrite: boolean;
  onSaved: () => void;
}) {
  const [fallback, setFallback] = useState(props.settings.fallbackModelId ?? '');
  const [budget, setBudget] = useState(
    props.settings.monthlyBudgetUsd === undefined ? '' : String(props.settings.monthlyBudgetUsd),
  );
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }>({
    kind: 'idle',
  });

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const amount = budget.trim() === '' ? undefined : Number(budget);
    if (amount !== undefined && (!Number.isFinite(amount) || amount < 0)) {
      setState({ kind: 'error', message: 'Monthly budget: a number of US dollars from 0, or empty for no limit.' });
      return;
    }
    setState({ kind: 'saving' });
    try {
      await apiFetch('/api/ai-settings', {
        method: 'PUT',
        body: JSON.stringify({
          ...(fallback ? { fallbackModelId: fallback } : {}),
          ...(amount !== undefined ? { monthlyBudgetUsd: amount } : {}),
        }),
      });
      setState({ kind: 'saved' });
      props.onSaved();
    } catch (err) {
      setState({ kind: 'error', message: err instanceof ApiError || err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <form className="card routing-card" onSubmit={save} aria-labelledby="routing-title">
      <h2 id="routing-title">Workspace routing</h2>
      <p className="muted">
        When a node’s own model (and its fallback) gives up — a rate limit, a timeout, a server error or a prompt too
        long for it — the call goes to this model. The budget stops new model calls once the month’s calls (UTC) have
        cost it.
      </p>
      <div className="routing-fields">
        <div className="field">
          <label htmlFor="routing-fallback">Fallback model for every node</label>
          <select
            id="routing-fallback"
            className="select"
            value={fallback}
            disabled={!props.canWrite}
            onChange={(e) => setFallback(e.target.value)}
          >
            <option value="">None</option>
            {props.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="routing-budget">Monthly budget (US$)</label>
          <input
            id="routing-budget"
            className="input"
            type="number"
            min={0}
            step="0.01"
            placeholder="No limit"
            value={budget}
            disabled={!props.canWrite}
            onChange={(e) => setBudget(e.target.value)}
          />
        </div>
        {props.canWrite && (
          <button className="btn" type="submit" disabled={state.kind === 'saving'}>
            {state.kind === 'saving' ? 'Saving…' : 'Save routing'}
          </button>
        )}
      </div>
      {state.kind === 'saved' && (
        <p className="muted" role="status">
          Saved.
        </p>
      )}
      {state.kind === 'error' && (
        <p className="error-text" role="alert">
          {state.message}
        </p>
      )}
    </form>
  );
}
