// The editor's marketplace notice for an installed workflow (docs/decisions/069): "Version 1.1.0 of <listing> is
// available" with "Review update", which opens the three-way review (installed version, your draft, the update;
// conflicts settled with radio choices) and applies it as the new draft; and "Roll back to vX" after an update.
// The merge runs here for the review and again on the server with the choices, from the same three documents.
import { useEffect, useId, useRef, useState } from 'react';
import type { UpdatePreview, WorkflowMarketplaceStatus } from '../../../contracts/marketplace-install';
import { MergeError, threeWayMerge, type ConflictChoice, type MergeResult } from '../../../ir/merge/three-way';
import { apiFetch } from '../../lib/api-client';
import { useEditor } from '../../stores/workflow-store-context';
import { errorText } from '../templates/wizard-types';
import { ThreeWayDiff } from './ThreeWayDiff';
import './install.css';

type Review =
  | { state: 'closed' }
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; preview: UpdatePreview; result: MergeResult };

/** The review dialog: the changelog and ThreeWayDiff, applying through the API. */
function UpdateReview(props: { workflowId: string; review: Review; onClose(): void; onApplied(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { review } = props;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (review.state !== 'closed' && !dialog.open) dialog.showModal();
    if (review.state === 'closed' && dialog.open) dialog.close();
  }, [review.state]);

  const apply = async (choices: Record<string, ConflictChoice>) => {
    if (review.state !== 'ready') return;
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`/api/workflows/${props.workflowId}/marketplace/update`, {
        method: 'POST',
        body: { version: review.preview.toVersion, revision: review.preview.revision, choices },
      });
      props.onApplied();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="update-review" onClose={props.onClose} aria-labelledby={titleId}>
      {review.state === 'loading' && (
        <p className="muted" role="status" id={titleId}>
          <span className="spinner" /> Merging the update with your workflow…
        </p>
      )}
      {review.state === 'failed' && (
        <>
          <h2 id={titleId}>The update cannot be reviewed</h2>
          <div className="banner error" role="alert">
            {review.message}
          </div>
          <div className="dialog-actions">
            <button className="btn" type="button" onClick={props.onClose}>
              Close
            </button>
          </div>
        </>
      )}
      {review.state === 'ready' && (
        <>
          <p className="muted" id={titleId}>
            {review.preview.listingTitle}: v{review.preview.fromVersion} → v{review.preview.toVersion}
          </p>
          {review.preview.changelog.trim() && <p className="update-review-changelog">{review.preview.changelog}</p>}
          {error && (
            <div className="banner error" role="alert">
              {error}
            </div>
          )}
          {busy && (
            <p className="muted" role="status">
              <span className="spinner" /> Applying the update…
            </p>
          )}
          <ThreeWayDiff result={review.result} onResolve={(choices) => void apply(choices)} onCancel={props.onClose} />
        </>
      )}
    </dialog>
  );
}

export function UpdateNotice({ workflowId }: { workflowId: string }) {
  const [status, setStatus] = useState<WorkflowMarketplaceStatus | null>(null);
  const [review, setReview] = useState<Review>({ state: 'closed' });
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const unsaved = useEditor((s) => s.saveStatus !== 'saved');

  useEffect(() => {
    let live = true;
    apiFetch<WorkflowMarketplaceStatus>(`/api/workflows/${workflowId}/marketplace`)
      .then((s) => live && setStatus(s))
      // The notice is a convenience: without it the editor works as before.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [workflowId]);

  // The draft the editor holds is replaced: load it afresh (the store is made once per page).
  const reload = () => window.location.reload();

  const openReview = async () => {
    if (!status?.latestVersion) return;
    if (unsaved) return setMessage('Save your changes first: the update is merged with the saved draft.');
    setMessage(null);
    setReview({ state: 'loading' });
    try {
      const preview = await apiFetch<UpdatePreview>(
        `/api/workflows/${workflowId}/marketplace/update?version=${encodeURIComponent(status.latestVersion)}`,
      );
      setReview({ state: 'ready', preview, result: threeWayMerge(preview.base, preview.ours, preview.theirs) });
    } catch (err) {
      setReview({ state: 'failed', message: err instanceof MergeError ? err.message : errorText(err) });
    }
  };

  const rollback = async () => {
    if (unsaved) return setMessage('Save or undo your changes first: rolling back replaces the draft.');
    setBusy(true);
    try {
      await apiFetch(`/api/workflows/${workflowId}/marketplace/rollback`, { method: 'POST' });
      reload();
    } catch (err) {
      setMessage(errorText(err));
      setBusy(false);
    }
  };

  if (!status?.listingId || (!status.hasUpdate && !status.rollbackTo)) return null;
  const title = status.listingTitle ?? 'this workflow’s listing';
  return (
    <>
      <div className="editor-banner info update-notice" role="status">
        <span>
          {status.hasUpdate
            ? `Version ${status.latestVersion} of ${title} is available (you have ${status.installedVersion}).`
            : `Updated to version ${status.installedVersion} of ${title}.`}
        </span>
        {message && <span className="error-text">{message}</span>}
        <span className="spacer" />
        {status.rollbackTo && (
          <button className="btn small" type="button" onClick={() => void rollback()} disabled={busy}>
            {busy && <span className="spinner" />} Roll back to v{status.rollbackTo}
          </button>
        )}
        {status.hasUpdate && (
          <button className="btn small primary" type="button" onClick={() => void openReview()}>
            Review update
          </button>
        )}
      </div>
      <UpdateReview
        workflowId={workflowId}
        review={review}
        onClose={() => setReview({ state: 'closed' })}
        onApplied={reload}
      />
    </>
  );
}
