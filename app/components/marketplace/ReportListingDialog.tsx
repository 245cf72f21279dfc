// "Report this listing": a modal with the reason (a radio group) and details for the moderators. The API refuses a
// second open report by the same person (409); that refusal, like any other, shows in the dialog.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  REPORT_LIMITS,
  REPORT_REASON_LABELS,
  REPORT_REASONS,
  type ReportReason,
  type ReportView,
} from '../../../contracts/marketplace-reviews';
import { ApiError, apiFetch } from '../../lib/api-client';

export function ReportListingDialog(props: {
  listingId: string;
  listingTitle: string;
  onDone(report: ReportView): void;
  onClose(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason) return setError('Choose what is wrong with this listing.');
    if (reason === 'other' && !text.trim()) return setError('Say what is wrong in the details.');
    setSending(true);
    setError(null);
    try {
      const { report } = await apiFetch<{ report: ReportView }>(
        `/api/marketplace/listings/${props.listingId}/reports`,
        {
          method: 'POST',
          body: { reason, text },
        },
      );
      props.onDone(report);
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setSending(false);
    }
  };

  return (
    <dialog ref={dialog} className="confirm report-dialog" onClose={props.onClose} aria-labelledby="report-title">
      <form onSubmit={submit} noValidate>
        <h2 id="report-title">Report “{props.listingTitle}”</h2>
        <p className="muted">
          Moderators of this Baton read every report. The publisher does not see who reported their listing.
        </p>
        <fieldset className="report-reasons">
          <legend>What is wrong?</legend>
          {REPORT_REASONS.map((value) => (
            <label key={value} className="report-reason">
              <input
                type="radio"
                name="report-reason"
                value={value}
                checked={reason === value}
                onChange={() => setReason(value)}
              />
              {REPORT_REASON_LABELS[value]}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="report-text">Details</label>
          <textarea
            id="report-text"
            className="textarea"
            rows={4}
            maxLength={REPORT_LIMITS.textChars}
            value={text}
            placeholder="What did you see? Which node, which step?"
            onChange={(e) => setText(e.target.value)}
          />
          <span className="hint">
            {text.length} / {REPORT_LIMITS.textChars} characters
          </span>
        </div>
        {error && (
          <div className="banner error" role="alert">
            {error}
          </div>
        )}
        <div className="dialog-actions">
          <button className="btn" type="button" onClick={props.onClose} disabled={sending}>
            Cancel
          </button>
          <button className="btn danger" type="submit" disabled={sending} aria-busy={sending || undefined}>
            {sending && <span className="spinner" />} Send report
          </button>
        </div>
      </form>
    </dialog>
  );
}
