// A searchable select of this Baton's workflows (ARIA combobox with a listbox), for `workflow` params and the
// error-workflow setting. Each option shows its publish state, because only a published version can run; the
// picked one gets an "Open" link and a warning when it cannot run as things stand (not published, not found).
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { matchWorkflows, pickedStatus, pickedWarnings, publishLabel, type WorkflowOption } from './workflow-options';
import { useWorkflowList } from './useWorkflowList';

interface Props {
  id: string;
  label: string;
  /** The picked workflow's id; undefined when none is picked. */
  value: string | undefined;
  /** The workflow being edited, marked "this workflow" in the list. */
  currentWorkflowId: string;
  readOnly: boolean;
  invalid?: boolean;
  /** The field's own error text, read along with the picker's warnings. */
  describedBy?: string;
  placeholder?: string;
  /** Offer a "None" option that clears the value (settings that are optional). */
  noneLabel?: string;
  /** What an unpublished pick means here, after “<name>” is not published. */
  unpublishedWarning: string;
  onChange(id: string | undefined): void;
}

/** An entry of the open list: "None" (undefined id) or a workflow. */
type Entry = { id: undefined; name: string } | WorkflowOption;

export function WorkflowPicker(props: Props) {
  const { id, label, value, currentWorkflowId, readOnly, invalid, describedBy, placeholder, noneLabel } = props;
  const list = useWorkflowList();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const listId = `${id}-list`;
  const statusId = useId();

  const status = pickedStatus(value, list.workflows, currentWorkflowId);
  const warnings = pickedWarnings(status, props.unpublishedWarning);
  const entries: Entry[] = [
    ...(noneLabel && query.trim() === '' ? [{ id: undefined, name: noneLabel }] : []),
    ...matchWorkflows(list.workflows ?? [], query),
  ];
  const shown = status.kind === 'found' ? status.workflow.name : status.kind === 'none' ? '' : (value ?? '');

  const openList = (q = '') => {
    if (readOnly) return;
    setQuery(q);
    setOpen(true);
    // Start on the picked entry, so Enter right away keeps it and arrows move from it.
    const all: Entry[] = [
      ...(noneLabel ? [{ id: undefined, name: noneLabel }] : []),
      ...matchWorkflows(list.workflows ?? [], q),
    ];
    setActive(
      q === ''
        ? Math.max(
            0,
            all.findIndex((e) => e.id === value),
          )
        : 0,
    );
  };
  const close = () => {
    setOpen(false);
    setQuery('');
  };
  const pick = (entry: Entry | undefined) => {
    if (!entry) return;
    close();
    if (entry.id !== value) props.onChange(entry.id);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (readOnly) return;
    const last = entries.length - 1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) return openList();
      setActive((i) => (e.key === 'ArrowDown' ? Math.min(last, i + 1) : Math.max(0, i - 1)));
    } else if (open && (e.key === 'Home' || e.key === 'End')) {
      e.preventDefault();
      setActive(e.key === 'Home' ? 0 : Math.max(0, last));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (open) pick(entries[active]);
      else openList();
    } else if (e.key === 'Escape' && open) {
      // Only the list closes: the inspector's own Escape (deselect) waits for the next press.
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  };

  const activeId = open && entries[active] ? `${id}-opt-${active}` : undefined;
  const described = [describedBy, warnings.length || list.status !== 'ready' ? statusId : undefined]
    .filter(Boolean)
    .join(' ');

  return (
    <div className="workflow-picker">
      <div className="workflow-picker-row">
        <div className="workflow-picker-box">
          <input
            ref={input}
            id={id}
            className={`input${invalid ? ' invalid' : ''}`}
            type="text"
            role="combobox"
            aria-label={label}
            aria-expanded={open}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={activeId}
            aria-invalid={invalid || undefined}
            aria-describedby={described || undefined}
            autoComplete="off"
            spellCheck={false}
            readOnly={readOnly}
            placeholder={open ? 'Search workflows' : (placeholder ?? 'Pick a workflow')}
            value={open ? query : shown}
            onChange={(e) => (open ? (setQuery(e.target.value), setActive(0)) : openList(e.target.value))}
            onClick={() => !open && openList()}
            onKeyDown={onKeyDown}
            onBlur={close}
          />
          {!readOnly && (
            <button
              type="button"
              className="workflow-picker-toggle"
              tabIndex={-1}
              aria-label={open ? 'Close the list' : 'Show workflows'}
              // Keeps focus in the input, whose blur would close the list before this click opened it.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                if (open) close();
                else openList();
                input.current?.focus();
              }}
            >
              <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true">
                <path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.6" />
              </svg>
            </button>
          )}
          {open && (
            <ul className="workflow-picker-list" id={listId} role="listbox" aria-label={`${label}: workflows`}>
              {list.status === 'loading' && <li className="workflow-picker-note">Loading workflows…</li>}
              {list.status === 'error' && <li className="workflow-picker-note error">Could not load workflows.</li>}
              {list.status === 'ready' && entries.length === 0 && (
                <li className="workflow-picker-note">
                  {query.trim() ? `No workflow matches “${query.trim()}”.` : 'No workflows yet.'}
                </li>
              )}
              {entries.map((entry, i) => (
                <li
                  key={entry.id ?? '(none)'}
                  id={`${id}-opt-${i}`}
                  role="option"
                  aria-selected={entry.id === value}
                  className={`workflow-picker-option${i === active ? ' active' : ''}`}
                  onMouseDown={(e) => e.preventDefault()}
                  onMouseEnter={() => setActive(i)}
                  onClick={() => pick(entry)}
                >
                  <span className="workflow-picker-name">{entry.name}</span>
                  {entry.id !== undefined && (
                    <span className="workflow-picker-meta">
                      {entry.id === currentWorkflowId && <span className="workflow-picker-self">this workflow</span>}
                      <span className={entry.publishedVersion === null ? 'unpublished' : 'published'}>
                        {publishLabel(entry)}
                      </span>
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
        {status.kind === 'found' && (
          <a
            className="btn small"
            href={`/workflows/${status.workflow.id}`}
            target="_blank"
            rel="noreferrer"
            title={`Open “${status.workflow.name}” in a new tab`}
          >
            Open
          </a>
        )}
      </div>
      <div className="workflow-picker-status" id={statusId}>
        {status.kind === 'found' && warnings.length === 0 && (
          <span className="hint">{publishLabel(status.workflow)}</span>
        )}
        {list.status === 'loading' && value && <span className="hint">Loading workflows…</span>}
        {list.status === 'error' && (
          <span className="error-text">
            Could not load the workflows: {list.message}{' '}
            <button type="button" className="link-button" onClick={list.retry}>
              Retry
            </button>
          </span>
        )}
        {warnings.map((w) => (
          <span key={w} className="field-warning">
            {w}
          </span>
        ))}
      </div>
    </div>
  );
}
