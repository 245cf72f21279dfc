// The Browser node's recorder: a browser on the server shown live, the steps the person's clicks and typing make,
// pick modes for extractions (an element, or a list of repeated ones), and "Stop and add steps", which hands the steps to the inspector's normal change
// path (so undo, redo and the unsaved state work as for any edit). Escape asks before discarding recorded steps.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { RecordedStep } from '../../../contracts/browser-recorder';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { IconButton } from '../ui/IconButton';
import { LiveBrowserView } from './LiveBrowserView';
import { RecordedStepList } from './RecordedStepList';
import { useRecorder } from './useRecorder';
import './browser.css';

/** The value a recorded password fill holds (app/lib/browser-recorder.server.ts). */
const PASSWORD_PLACEHOLDER = '$credential.password';
const CLOSE = 'M4 4l8 8M12 4l-8 8';

interface Props {
  workflowId: string;
  /** The node's settings the recording is held to, as its runs will be. */
  allowedDomains?: string;
  viewport?: { width: number; height: number };
  /** Where to start: the node's first `goto`, if any. */
  startUrl?: string;
  /** How many steps the node has now (the "replace" choice is offered when it has some). */
  existingSteps: number;
  /** Whether the node has a credential picked (a recorded password needs one). */
  hasCredential: boolean;
  onFinish(steps: RecordedStep[], replace: boolean): void;
  onClose(): void;
}

export function RecorderDialog(props: Props) {
  const { state, steps, setSteps, open, send, setPicking, stop } = useRecorder({
    workflowId: props.workflowId,
    allowedDomains: props.allowedDomains || undefined,
    viewport: props.viewport,
  });
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [address, setAddress] = useState(props.startUrl ?? '');
  const [replace, setReplace] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const usesPassword = steps.some((s) => s.value === PASSWORD_PLACEHOLDER);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  // The address bar follows the page (links, redirects), as a browser's does.
  useEffect(() => {
    if (state.url) setAddress(state.url);
  }, [state.url]);

  const discard = () => {
    if (steps.length > 0) return setConfirmDiscard(true);
    stop();
    props.onClose();
  };
  const finish = () => {
    stop();
    props.onFinish(steps, replace);
  };
  const go = (e: FormEvent) => {
    e.preventDefault();
    if (address.trim()) open(address.trim());
  };

  const live = state.phase === 'live';
  const phaseLabel =
    state.phase === 'live'
      ? state.picking
        ? state.pickingList
          ? 'Picking a list'
          : 'Picking an element'
        : 'Recording'
      : state.phase === 'starting'
        ? 'Starting…'
        : state.phase === 'ended'
          ? 'Ended'
          : 'Not started';

  return (
    <dialog
      ref={ref}
      className="recorder-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        // Escape: never lose recorded steps without asking.
        e.preventDefault();
        if (!confirmDiscard) discard();
      }}
    >
      <header className="recorder-head">
        <h2 id={titleId}>Record browser steps</h2>
        {state.title && live && (
          <span className="recorder-page-title" title="The page's title">
            {state.title}
          </span>
        )}
        <span className={`recorder-phase ${state.phase}${state.picking ? ' picking' : ''}`} role="status">
          {live && <span className="recorder-dot" aria-hidden="true" />}
          {phaseLabel}
        </span>
        <span className="recorder-head-close">
          <IconButton label="Close the recorder" title="Close (Esc)" path={CLOSE} onClick={discard} />
        </span>
      </header>

      <form className="recorder-bar" onSubmit={go}>
        <input
          className="input"
          type="text"
          inputMode="url"
          aria-label="Page address"
          placeholder="https://example.com/login"
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          autoFocus
        />
        <button className="btn" type="submit" disabled={!address.trim() || state.phase === 'starting'}>
          {live ? 'Go' : 'Open page'}
        </button>
        <button
          className={`btn${state.picking && !state.pickingList ? ' primary' : ''}`}
          type="button"
          aria-pressed={state.picking && !state.pickingList}
          disabled={!live}
          onClick={() => setPicking(!(state.picking && !state.pickingList))}
          title="The next click in the page chooses an element to extract instead of clicking it"
        >
          Pick element to extract
        </button>
        <button
          className={`btn${state.pickingList ? ' primary' : ''}`}
          type="button"
          aria-pressed={state.pickingList}
          disabled={!live}
          onClick={() => setPicking(!state.pickingList, true)}
          title="The next click chooses one row or card: every item like it is extracted, with its fields"
        >
          Pick list to extract
        </button>
      </form>

      {state.error && (
        <div className="banner error recorder-banner" role="alert">
          {state.error}
        </div>
      )}

      <div className="recorder-body">
        <div className="recorder-view">
          {state.phase === 'idle' ? (
            <div className="recorder-empty">
              <h3>Start from a page</h3>
              <p className="muted">
                Enter the address the automation begins at, then use the page as you would: each click, entry and choice
                is recorded as a step. The browser runs on the server, under the same network rules as runs.
              </p>
            </div>
          ) : state.phase === 'ended' && !state.frame ? (
            <div className="recorder-empty">
              <h3>The recording ended</h3>
              <p className="muted">{state.ended} Open a page to record again.</p>
            </div>
          ) : (
            <LiveBrowserView
              frame={state.frame}
              onInput={send}
              disabled={!live}
              status={
                state.phase === 'ended'
                  ? state.ended
                  : state.picking
                    ? state.pickingList
                      ? 'Click one row or card of the list to extract'
                      : 'Click the element to extract'
                    : state.phase === 'starting'
                      ? 'Starting the browser…'
                      : undefined
              }
            />
          )}
        </div>
        <aside className="recorder-side" aria-label="Steps">
          <h3>
            Steps <span className="muted">{steps.length}</span>
          </h3>
          <RecordedStepList steps={steps} onChange={setSteps} />
        </aside>
      </div>

      <footer className="recorder-foot">
        {usesPassword && (
          <div className={`banner ${props.hasCredential ? 'info' : 'warning'} recorder-banner`} role="note">
            The password is not recorded. {props.hasCredential ? 'The' : 'Pick a'} Website login credential in the
            node’s Credential field {props.hasCredential ? 'fills it in when the node runs.' : 'so runs can sign in.'}
          </div>
        )}
        <div className="recorder-actions">
          {props.existingSteps > 0 && (
            <label className="recorder-replace">
              <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> Replace the
              node’s {props.existingSteps} {props.existingSteps === 1 ? 'step' : 'steps'}
            </label>
          )}
          <button className="btn" type="button" onClick={discard}>
            Cancel
          </button>
          <button className="btn primary" type="button" disabled={steps.length === 0} onClick={finish}>
            Stop and add {steps.length || ''} {steps.length === 1 ? 'step' : 'steps'}
          </button>
        </div>
      </footer>

      <ConfirmDialog
        open={confirmDiscard}
        title="Discard the recording?"
        confirmLabel="Discard"
        cancelLabel="Keep recording"
        danger
        onConfirm={() => {
          setConfirmDiscard(false);
          stop();
          props.onClose();
        }}
        onCancel={() => setConfirmDiscard(false)}
      >
        <p>
          The {steps.length} recorded {steps.length === 1 ? 'step' : 'steps'} will not be added to the node.
        </p>
      </ConfirmDialog>
    </dialog>
  );
}
