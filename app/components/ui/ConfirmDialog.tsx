// A modal confirmation built on <dialog>: focus is trapped and Escape cancels, natively. With `pending` the
// confirm button shows a spinner and both buttons wait; `error` says why the last attempt failed.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  /** The dismiss button's label; "Cancel" unless that would read as the action itself (cancelling a run). */
  cancelLabel?: string;
  danger?: boolean;
  pending?: boolean;
  /** The confirm button waits (what it would do is still loading, or was refused); Cancel still works. */
  confirmDisabled?: boolean;
  error?: string | null;
  onConfirm(): void;
  onCancel(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  // One id per dialog: a page with a dialog per table row must name each by its own title.
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog ref={ref} className="confirm" onClose={props.onCancel} aria-labelledby={titleId}>
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
      {props.error && (
        <div className="banner error" role="alert">
          {props.error}
        </div>
      )}
      <div className="dialog-actions">
        <button className="btn" type="button" onClick={props.onCancel} disabled={props.pending}>
          {props.cancelLabel ?? 'Cancel'}
        </button>
        <button
          className={`btn ${props.danger ? 'danger' : 'primary'}`}
          type="button"
          onClick={props.onConfirm}
          disabled={props.pending || props.confirmDisabled}
          aria-busy={props.pending || undefined}
          autoFocus
        >
          {props.pending && <span className="spinner" />} {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
