// The editor's top bar: back to the list, inline-editable name, save status, Undo/Redo, Save, Run, Publish, and
// Publish to marketplace.
import { Link } from '@remix-run/react';
import { PublishToMarketplaceButton } from '../marketplace/PublishToMarketplaceButton';
import { BrandMark } from '../ui/BrandMark';
import { IconButton } from '../ui/IconButton';
import { useEditor } from '../../stores/workflow-store-context';

const SAVE_LABEL = { saved: 'Saved', dirty: 'Unsaved changes', saving: 'Saving…', error: 'Not saved' } as const;

interface Props {
  onSave(): void;
  onRun(): void;
  onPublish(): void;
  busy: 'run' | 'publish' | null;
  publishedVersion: number | null;
}

export function EditorTopBar({ onSave, onRun, onPublish, busy, publishedVersion }: Props) {
  const name = useEditor((s) => s.name);
  const setName = useEditor((s) => s.setName);
  const saveStatus = useEditor((s) => s.saveStatus);
  const readOnly = useEditor((s) => s.readOnly);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const undo = useEditor((s) => s.undo);
  const redo = useEditor((s) => s.redo);
  const workflowId = useEditor((s) => s.workflowId);

  return (
    <header className="editor-bar">
      <Link to="/" className="editor-home" aria-label="All workflows" title="All workflows">
        <BrandMark size={26} />
      </Link>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to="/">Workflows</Link>
        <span aria-hidden="true">/</span>
      </nav>
      <input
        className="workflow-name"
        aria-label="Workflow name"
        value={name}
        readOnly={readOnly}
        size={Math.max(12, Math.min(name.length + 2, 48))}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
        onBlur={() => !name.trim() && setName('Untitled workflow')}
      />
      {!readOnly && (
        <span className={`save-status ${saveStatus}`} data-testid="save-status" aria-live="polite">
          {saveStatus === 'saving' && <span className="spinner" />}
          {SAVE_LABEL[saveStatus]}
        </span>
      )}
      {publishedVersion ? <span className="badge accent">Published v{publishedVersion}</span> : null}
      <div className="spacer" />
      <Link className="btn ghost small" to={`/workflows/${workflowId}/runs`}>
        Runs
      </Link>
      {!readOnly && (
        <>
          <div className="btn-group" role="group" aria-label="History">
            <IconButton
              label="Undo"
              title="Undo (Ctrl+Z)"
              onClick={undo}
              disabled={!canUndo}
              path="M5 3 2 6l3 3M2 6h7a4 4 0 0 1 0 8H6"
            />
            <IconButton
              label="Redo"
              title="Redo (Ctrl+Shift+Z)"
              onClick={redo}
              disabled={!canRedo}
              path="m11 3 3 3-3 3M14 6H7a4 4 0 0 0 0 8h3"
            />
          </div>
          <button
            className="btn"
            type="button"
            onClick={onSave}
            disabled={saveStatus === 'saving' || saveStatus === 'saved'}
            title="Save (Ctrl+S)"
          >
            Save <kbd>Ctrl S</kbd>
          </button>
          <button
            className="btn"
            type="button"
            onClick={onPublish}
            disabled={busy !== null}
            title="Publish a new immutable version"
          >
            {busy === 'publish' && <span className="spinner" />}
            Publish
          </button>
          <PublishToMarketplaceButton workflowId={workflowId} />
          <button
            className="btn primary"
            type="button"
            onClick={onRun}
            disabled={busy !== null}
            title="Run (Ctrl+Enter)"
          >
            {busy === 'run' ? (
              <span className="spinner" />
            ) : (
              <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true">
                <path d="M4 2.5v11l9.5-5.5z" fill="currentColor" />
              </svg>
            )}
            Run <kbd>Ctrl ↵</kbd>
          </button>
        </>
      )}
    </header>
  );
}
