// "Retry from the failed node": loads what a retry would take over and run again (GET /api/runs/:id/retry-plan)
// on the version the user picks, warns by name about nodes with side effects that will run again, then starts the
// retry (POST /api/runs/:id/retry) and opens the new run's page.
import { useEffect, useState } from 'react';
import { useNavigate } from '@remix-run/react';
import { ApiError, apiFetch } from '../../lib/api-client';
import type { RetryNode, RetryPlan, RetryVersion } from '../../../contracts/retries';
import { ConfirmDialog } from '../ui/ConfirmDialog';

type Loaded = { state: 'loading' } | { state: 'ready'; plan: RetryPlan } | { state: 'refused'; message: string };

const VERSION_LABEL: Record<RetryVersion, string> = {
  current: 'Current published version',
  original: 'Original version (the one this run ran)',
};

export function RetryDialog(props: {
  runId: string;
  open: boolean;
  onClose(): void;
  /** Called with the new run's id before navigating to it; the default navigates to /runs/<id>. */
  onStarted?(runId: string): void;
}) {
  const navigate = useNavigate();
  const [version, setVersion] = useState<RetryVersion>('current');
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!props.open) return;
    let stale = false;
    setLoaded({ state: 'loading' });
    setError(null);
    apiFetch<{ plan: RetryPlan }>(
      `/api/runs/${encodeURIComponent(props.runId)}/retry-plan?version=${encodeURIComponent(version)}`,
    ).then(
      ({ plan }) => !stale && setLoaded({ state: 'ready', plan }),
      (err: unknown) =>
        !stale && setLoaded({ state: 'refused', message: err instanceof ApiError ? err.message : String(err) }),
    );
    return () => {
      stale = true;
    };
  }, [props.open, props.runId, version]);

  const start = async () => {
    setPending(true);
    setError(null);
    try {
      const { runId } = await apiFetch<{ runId: string }>(`/api/runs/${encodeURIComponent(props.runId)}/retry`, {
        method: 'POST',
        body: { version },
      });
      props.onClose();
      if (props.onStarted) props.onStarted(runId);
      else navigate(`/runs/${encodeURIComponent(runId)}`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setPending(false);
    }
  };

  const plan = loaded.state === 'ready' ? loaded.plan : undefined;
  return (
    <ConfirmDialog
      open={props.open}
      title="Retry from the failed node"
      confirmLabel={plan?.sideEffects.length ? 'Retry anyway' : 'Retry'}
      danger={Boolean(plan?.sideEffects.length)}
      pending={pending}
      confirmDisabled={!plan}
      error={error ?? (loaded.state === 'refused' ? loaded.message : null)}
      onConfirm={() => plan && void start()}
      onCancel={props.onClose}
    >
      {/* One choice a line: inline, the second label wrapped mid-sentence beside the first. */}
      <fieldset className="retry-version" style={{ border: 'none', padding: 0, display: 'grid', gap: 6 }}>
        <legend>Run on</legend>
        {(['current', 'original'] as const).map((v) => (
          <label key={v}>
            <input type="radio" name="retry-version" value={v} checked={version === v} onChange={() => setVersion(v)} />{' '}
            {VERSION_LABEL[v]}
          </label>
        ))}
      </fieldset>
      {loaded.state === 'loading' && (
        <p className="muted" role="status">
          Working out what can be reused…
        </p>
      )}
      {plan && (
        <>
          {plan.workflowVersion !== undefined && <p className="muted">Version {plan.workflowVersion}</p>}
          {plan.sideEffects.length > 0 && (
            <div className="banner warning" role="alert">
              {/* One text block: the banner is a flex row and would set the names apart in a column of their own. */}
              <span>
                These nodes ran before and will run again, repeating what they do outside Baton:{' '}
                <strong>{plan.sideEffects.map((n) => n.name).join(', ')}</strong>.
              </span>
            </div>
          )}
          <NodeList title="Reused from this run" nodes={plan.reused} empty="Nothing: every node runs again." />
          <NodeList title="Runs again" nodes={plan.rerun} empty="Nothing." />
        </>
      )}
    </ConfirmDialog>
  );
}

function NodeList(props: { title: string; nodes: RetryNode[]; empty: string }) {
  return (
    <section aria-label={props.title}>
      <h3>{props.title}</h3>
      {props.nodes.length === 0 ? (
        <p className="muted">{props.empty}</p>
      ) : (
        <ul>
          {props.nodes.map((n) => (
            <li key={n.nodeId}>
              {n.name} <span className="muted">({n.type})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
