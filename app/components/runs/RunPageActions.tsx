// The run page's actions: stop it, run it again with the same or an edited trigger input, download it as JSON, open
// the editor with its trigger payload pinned as the Manual trigger's sample, or retry from the failed node (RetryDialog).
// A retry or re-run links back to the run it started again from, and that run links to it.
import { Link, useNavigate } from '@remix-run/react';
import { useState } from 'react';
import type { RunInfo } from '../../../contracts/run-record';
import { apiFetch, ApiError } from '../../lib/api-client';
import { RETRYABLE_RUN_STATUSES } from '../../../contracts/retries';
import { triggerRuntimeOf } from '../../../nodes/triggers';
import { RetryDialog } from './RetryDialog';
import { shortRunId } from './RunFamily';
import { RunStopControls } from './RunStopControls';
import { StatusBadge } from '../ui/StatusBadge';
import type { RunStatus } from '../../../contracts/run-status';

/** A retry or re-run of this run. */
export interface RetryLink {
  runId: string;
  status: RunStatus;
}

interface DocumentNodeLike {
  type: string;
  version: number;
  params: Record<string, unknown>;
}

export function RunPageActions({
  run,
  retries = [],
  onChanged,
}: {
  run: RunInfo;
  /** Its retries and re-runs, oldest first. */
  retries?: RetryLink[];
  onChanged(run: RunInfo): void;
}) {
  const navigate = useNavigate();
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [retrying, setRetrying] = useState(false);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const rerun = (input: unknown) =>
    act(async () => {
      const { runId } = await apiFetch<{ runId: string }>('/api/runs', {
        method: 'POST',
        body: { workflowId: run.workflowId, version: run.workflowVersion ?? 'draft', input },
      });
      setEditing(null);
      navigate(`/runs/${encodeURIComponent(runId)}`);
    });
  const openWithData = () =>
    act(async () => {
      const { workflow } = await apiFetch<{
        workflow: { revision: number; document: { nodes: DocumentNodeLike[] } };
      }>(`/api/workflows/${encodeURIComponent(run.workflowId)}`);
      const manual = workflow.document.nodes.find((n) => triggerRuntimeOf(n)?.binding === 'manual');
      if (!manual) throw new Error('This workflow has no Manual trigger to pin the payload on.');
      manual.params = { ...manual.params, samplePayload: run.trigger ?? {} };
      await apiFetch(`/api/workflows/${encodeURIComponent(run.workflowId)}`, {
        method: 'PUT',
        body: { revision: workflow.revision, document: workflow.document },
      });
      navigate(`/workflows/${encodeURIComponent(run.workflowId)}`);
    });

  return (
    <>
      {run.retryOf && (
        <p className="run-retry-of">
          Started again from run{' '}
          <Link to={`/runs/${encodeURIComponent(run.retryOf)}`} className="mono" title={run.retryOf}>
            {shortRunId(run.retryOf)}
          </Link>
        </p>
      )}
      {retries.length > 0 && (
        <p className="run-retry-of" data-testid="run-retries">
          Started again as{' '}
          {retries.map((r, i) => (
            <span key={r.runId}>
              {i > 0 && ', '}
              <Link to={`/runs/${encodeURIComponent(r.runId)}`} className="mono" title={r.runId}>
                {shortRunId(r.runId)}
              </Link>{' '}
              <StatusBadge status={r.status} />
            </span>
          ))}
        </p>
      )}
      <div className="run-actions">
        <RunStopControls runId={run.runId} status={run.status} onChanged={onChanged} />
        <button type="button" className="btn small" disabled={busy} onClick={() => void rerun(run.trigger)}>
          Re-run
        </button>
        <button
          type="button"
          className="btn small"
          disabled={busy}
          onClick={() => setEditing(JSON.stringify(run.trigger ?? {}, null, 2))}
        >
          Re-run with edited input…
        </button>
        <a className="btn small" href={`/api/runs/${encodeURIComponent(run.runId)}/export`} download>
          Download JSON
        </a>
        <button type="button" className="btn small" disabled={busy} onClick={() => void openWithData()}>
          Open in editor with this run’s data
        </button>
        {RETRYABLE_RUN_STATUSES.includes(run.status) && (
          <button type="button" className="btn small" disabled={busy} onClick={() => setRetrying(true)}>
            Retry from failed node…
          </button>
        )}
        <RetryDialog runId={run.runId} open={retrying} onClose={() => setRetrying(false)} />
        {error && (
          <span className="error-text" role="alert">
            {error}
          </span>
        )}
        {editing !== null && (
          <div className="dialog-backdrop" role="dialog" aria-label="Re-run with edited input">
            <div className="dialog card">
              <h2>Re-run with edited input</h2>
              <textarea
                className="input mono"
                rows={12}
                aria-label="Trigger input (JSON)"
                value={editing}
                onChange={(e) => setEditing(e.target.value)}
              />
              <div className="dialog-actions">
                <button type="button" className="btn ghost" onClick={() => setEditing(null)}>
                  Close
                </button>
                <button
                  type="button"
                  className="btn primary"
                  disabled={busy}
                  onClick={() => {
                    let input: unknown;
                    try {
                      input = JSON.parse(editing);
                    } catch (err) {
                      setError(`The input is not valid JSON: ${(err as Error).message}`);
                      return;
                    }
                    void rerun(input);
                  }}
                >
                  Run
                </button>
              </div>
            </div>
          </div>
        )}
      </div>
    </>
  );
}
