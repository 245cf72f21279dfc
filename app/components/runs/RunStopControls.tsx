// Stopping a run from the UI: "Cancel run" asks the interpreter to stop gracefully; if the run is still going
// a few seconds after the cancel was accepted, "Terminate" ends it at once. Both confirm first, show progress
// and say what went wrong. Used in the run panel and in the runs list.
import { useEffect, useState } from 'react';
import { ApiError, apiFetch } from '../../lib/api-client';
import { isFinished } from '../../lib/run-view';
import type { RunInfo } from '../../../contracts/run-record';
import type { RunStatus } from '../../../contracts/run-status';
import { ConfirmDialog } from '../ui/ConfirmDialog';

/** How long a cancel may take before Terminate is offered. */
export const TERMINATE_OFFER_MS = 5_000;

type Action = 'cancel' | 'terminate';

const DIALOG: Record<Action, { title: string; confirm: string; text: string }> = {
  cancel: {
    title: 'Cancel this run?',
    confirm: 'Cancel run',
    text: 'Running steps are cancelled and no further step starts. The run is recorded as cancelled.',
  },
  terminate: {
    title: 'Terminate this run?',
    confirm: 'Terminate run',
    text: 'Temporal ends the run immediately: running steps are not told to stop and no cleanup runs. Use this when a cancel does not finish.',
  },
};

export function RunStopControls(props: {
  runId: string;
  status: RunStatus;
  /** The run as the server answered, for the caller to show at once. */
  onChanged?(run: RunInfo): void;
}) {
  const [dialog, setDialog] = useState<Action | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [cancelSentAt, setCancelSentAt] = useState<number | null>(null);
  const [offerTerminate, setOfferTerminate] = useState(false);

  useEffect(() => {
    if (cancelSentAt === null) return;
    const timer = setTimeout(() => setOfferTerminate(true), TERMINATE_OFFER_MS - (Date.now() - cancelSentAt));
    return () => clearTimeout(timer);
  }, [cancelSentAt]);

  if (isFinished(props.status)) return null;

  const run = async (action: Action) => {
    setPending(true);
    setError(null);
    try {
      const { run: answered } = await apiFetch<{ run: RunInfo }>(
        `/api/runs/${encodeURIComponent(props.runId)}/${action}`,
        { method: 'POST', body: {} },
      );
      if (action === 'cancel') setCancelSentAt(Date.now());
      setDialog(null);
      props.onChanged?.(answered);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setPending(false);
    }
  };

  const open = (action: Action) => {
    setError(null);
    setDialog(action);
  };
  const shown = dialog ? DIALOG[dialog] : null;

  return (
    <>
      {cancelSentAt === null ? (
        <button className="btn small" type="button" onClick={() => open('cancel')}>
          Cancel run
        </button>
      ) : (
        <span className="muted" role="status">
          Cancelling…
        </span>
      )}
      {error && !dialog && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
      {offerTerminate && (
        <button className="btn danger small" type="button" onClick={() => open('terminate')}>
          Terminate
        </button>
      )}
      <ConfirmDialog
        open={shown !== null}
        title={shown?.title ?? ''}
        confirmLabel={shown?.confirm ?? ''}
        cancelLabel="Keep running"
        danger
        pending={pending}
        error={error}
        onConfirm={() => dialog && void run(dialog)}
        onCancel={() => setDialog(null)}
      >
        <p>{shown?.text}</p>
      </ConfirmDialog>
    </>
  );
}
