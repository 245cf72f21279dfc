// The update review: what a new version of an installed workflow changes, what of the user's edits it keeps, and
// the conflicts the user settles (keep mine / take update / edit value) before applying. Node by node, param by
// param; n and p move between conflicts. The engine is ir/merge/three-way.ts; the wiring to installs lives elsewhere.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ConflictChoice, MergeChange, MergeConflict, MergeResult } from '../../../ir/merge/three-way';
import {
  collectChoices,
  editMode,
  editSeed,
  formatValue,
  groupDiff,
  parseEdit,
  stepConflict,
  summaryText,
  type ChoiceDraft,
  type DiffBadge,
} from './three-way-diff-state';
import './three-way-diff.css';

export interface ThreeWayDiffProps {
  result: MergeResult;
  /** Node id → how to title its group; the node's name when absent. */
  nodeTitles?: Record<string, string>;
  onResolve(choices: Record<string, ConflictChoice>): void;
  onCancel(): void;
}

const BADGE_TEXT: Record<DiffBadge, string> = { ours: 'Yours', theirs: 'Update', both: 'Both', conflict: 'Conflict' };
const SIDE_VALUE_LABEL: Record<MergeChange['side'], string> = { ours: 'Yours', theirs: 'Update', both: 'Both' };

function Badge({ badge }: { badge: DiffBadge }) {
  return <span className={`badge diff-badge-${badge}`}>{BADGE_TEXT[badge]}</span>;
}

/** A value, pretty-printed; long ones collapse behind a disclosure that the keyboard opens too. */
function ValueView({ label, value, absent }: { label: string; value: unknown; absent?: string }) {
  const shown = formatValue(value, absent);
  const body = <pre className={shown.absent ? 'diff-value-absent' : undefined}>{shown.text}</pre>;
  return (
    <div className="diff-value">
      <span className="diff-value-label">{label}</span>
      {shown.long ? (
        <details>
          <summary>
            <span className="diff-value-preview">{shown.preview}</span>
            <span className="diff-value-more">Show all ({shown.text.length.toLocaleString()} characters)</span>
            <span className="diff-value-less">Show less</span>
          </summary>
          {body}
        </details>
      ) : (
        body
      )}
    </div>
  );
}

function ChangeRow({ label, change }: { label: string; change: MergeChange }) {
  const isNode = change.kind === 'node-added' || change.kind === 'node-removed';
  const isEdge = change.kind === 'edge-added' || change.kind === 'edge-removed';
  return (
    <li className="diff-row" data-side={change.side}>
      <div className="diff-row-head">
        <span className="diff-row-label">{label}</span>
        <Badge badge={change.side} />
      </div>
      {!isNode && !isEdge && (
        <div className="diff-values">
          <ValueView label="Installed" value={change.before} />
          <span className="diff-arrow" aria-hidden="true">
            →
          </span>
          <ValueView label={SIDE_VALUE_LABEL[change.side]} value={change.after} absent="Removed" />
        </div>
      )}
    </li>
  );
}

interface ConflictRowProps {
  label: string;
  conflict: MergeConflict;
  draft: ChoiceDraft | undefined;
  current: boolean;
  onDraft(draft: ChoiceDraft): void;
  onFocus(): void;
}

function ConflictRow({ label, conflict, draft, current, onDraft, onFocus }: ConflictRowProps) {
  const name = `conflict-${conflict.id}`;
  const mode = editMode(conflict);
  const editing = typeof draft === 'object';
  const problem = editing ? parseEdit(conflict, draft.edit) : undefined;
  const absent = conflict.path.length ? 'Removed' : 'Node deleted';
  return (
    <li className={`diff-row diff-conflict${current ? ' current' : ''}`} data-conflict={conflict.id} onFocus={onFocus}>
      <fieldset>
        <legend className="diff-row-head">
          <span className="diff-row-label">{label}</span>
          <Badge badge="conflict" />
        </legend>
        <div className="diff-values three">
          <ValueView label="Installed" value={conflict.base} />
          <ValueView label="Yours" value={conflict.ours} absent={absent} />
          <ValueView label="Update" value={conflict.theirs} absent={absent} />
        </div>
        <div className="diff-choices" role="radiogroup" aria-label={`Resolve ${label}`}>
          <label>
            <input type="radio" name={name} checked={draft === 'ours'} onChange={() => onDraft('ours')} />
            Keep mine
          </label>
          <label>
            <input type="radio" name={name} checked={draft === 'theirs'} onChange={() => onDraft('theirs')} />
            Take update
          </label>
          {mode !== 'none' && (
            <label>
              <input
                type="radio"
                name={name}
                checked={editing}
                onChange={() => onDraft({ edit: editing ? draft.edit : editSeed(conflict) })}
              />
              Edit value
            </label>
          )}
        </div>
        {editing && (
          <div className="field diff-edit">
            <textarea
              className={`textarea mono${problem && !problem.ok ? ' invalid' : ''}`}
              aria-label={`Value for ${label}${mode === 'json' ? ' (JSON)' : ''}`}
              value={draft.edit}
              rows={Math.min(10, Math.max(2, draft.edit.split('\n').length))}
              onChange={(e) => onDraft({ edit: e.target.value })}
            />
            {problem && !problem.ok && <span className="error-text">{problem.message}</span>}
          </div>
        )}
      </fieldset>
    </li>
  );
}

/** Typing in a field must not jump between conflicts. */
function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el?.tagName) return false;
  if (el.tagName === 'INPUT') return !['checkbox', 'radio', 'button'].includes((el as HTMLInputElement).type);
  return el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

export function ThreeWayDiff({ result, nodeTitles, onResolve, onCancel }: ThreeWayDiffProps) {
  const groups = useMemo(() => groupDiff(result, nodeTitles), [result, nodeTitles]);
  const [drafts, setDrafts] = useState<Record<string, ChoiceDraft>>({});
  const [current, setCurrent] = useState<string>();
  const root = useRef<HTMLElement>(null);
  const collected = collectChoices(result, drafts);
  // In the order they are shown, so n walks down the page.
  const conflictIds = groups.flatMap((g) => g.rows.flatMap((r) => (r.kind === 'conflict' ? [r.conflict.id] : [])));

  const focusConflict = (id: string | undefined) => {
    if (!id) return;
    setCurrent(id);
    const row = [...(root.current?.querySelectorAll<HTMLElement>('[data-conflict]') ?? [])].find(
      (el) => el.dataset.conflict === id,
    );
    row?.scrollIntoView({ block: 'center' });
    (row?.querySelector<HTMLInputElement>('input:checked') ?? row?.querySelector('input'))?.focus();
  };

  // On the window, as the inbox's keys are: the review is the page's (or the dialog's) one task.
  const step = useRef((dir: 1 | -1) => focusConflict(stepConflict(conflictIds, current, dir)));
  step.current = (dir) => focusConflict(stepConflict(conflictIds, current, dir));
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      if (event.key !== 'n' && event.key !== 'p') return;
      event.preventDefault();
      step.current(event.key === 'n' ? 1 : -1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const waiting = collected.ok
    ? undefined
    : collected.open
      ? `Choose a version for ${collected.open} more conflict${collected.open === 1 ? '' : 's'}`
      : 'Fix the edited value marked in red';

  return (
    <section className="three-way" aria-labelledby="three-way-title" ref={root}>
      <header className="three-way-header">
        <div>
          <h2 id="three-way-title">Review the update</h2>
          <p className="three-way-summary" data-testid="three-way-summary">
            {summaryText(result)}
          </p>
        </div>
        {conflictIds.length > 0 && (
          <p className="muted three-way-keys">
            <kbd>n</kbd> / <kbd>p</kbd> next and previous conflict
          </p>
        )}
      </header>
      {groups.length === 0 ? (
        <div className="empty three-way-empty">
          <p>Nothing to review: your copy and the update are the same workflow.</p>
        </div>
      ) : (
        <ol className="three-way-groups">
          {groups.map((group) => (
            <li key={group.key} className="three-way-group" data-group={group.key}>
              <div className="three-way-group-head">
                <h3>{group.title}</h3>
                <span className="three-way-badges">
                  {group.badges.map((b) => (
                    <Badge key={b} badge={b} />
                  ))}
                </span>
              </div>
              <ul className="diff-rows">
                {group.rows.map((row) =>
                  row.kind === 'change' ? (
                    <ChangeRow key={row.key} label={row.label} change={row.change} />
                  ) : (
                    <ConflictRow
                      key={row.key}
                      label={row.label}
                      conflict={row.conflict}
                      draft={drafts[row.conflict.id]}
                      current={current === row.conflict.id}
                      onDraft={(draft) => setDrafts((d) => ({ ...d, [row.conflict.id]: draft }))}
                      onFocus={() => setCurrent(row.conflict.id)}
                    />
                  ),
                )}
              </ul>
            </li>
          ))}
        </ol>
      )}
      <footer className="three-way-actions">
        {waiting && <span className="muted">{waiting}</span>}
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className="btn primary"
          disabled={!collected.ok}
          onClick={() => collected.ok && onResolve(collected.choices)}
        >
          Apply update
        </button>
      </footer>
    </section>
  );
}
