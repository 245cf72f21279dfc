// The node inspector's tab bar (Parameters, Settings), following the WAI-ARIA tabs pattern: one tab stop, arrow
// keys move between tabs, and a tab whose panel holds errors says how many.
import { useRef, type KeyboardEvent } from 'react';

export interface TabSpec<K extends string> {
  key: K;
  label: string;
  /** Errors on the tab's panel, shown as a badge while another tab is open. */
  errors: number;
}

export const tabId = (base: string, key: string) => `${base}-tab-${key}`;
export const panelId = (base: string, key: string) => `${base}-panel-${key}`;

export function InspectorTabs<K extends string>({
  base,
  tabs,
  selected,
  onSelect,
}: {
  base: string;
  tabs: ReadonlyArray<TabSpec<K>>;
  selected: K;
  onSelect: (key: K) => void;
}) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
    const edge = { Home: 0, End: tabs.length - 1 }[e.key];
    if (step === undefined && edge === undefined) return;
    e.preventDefault();
    const focused = tabs.findIndex((t) => tabId(base, t.key) === (e.target as HTMLElement).id);
    const current = focused >= 0 ? focused : tabs.findIndex((t) => t.key === selected);
    const next = tabs[edge ?? (current + step! + tabs.length) % tabs.length];
    onSelect(next.key);
    list.current?.querySelector<HTMLElement>(`#${CSS.escape(tabId(base, next.key))}`)?.focus();
  };
  return (
    <div className="inspector-tabs" role="tablist" aria-label="Node settings sections" ref={list} onKeyDown={onKeyDown}>
      {tabs.map((t) => {
        const active = t.key === selected;
        return (
          <button
            key={t.key}
            type="button"
            role="tab"
            id={tabId(base, t.key)}
            aria-selected={active}
            aria-controls={panelId(base, t.key)}
            tabIndex={active ? 0 : -1}
            className={`inspector-tab${active ? ' active' : ''}`}
            onClick={() => onSelect(t.key)}
          >
            {t.label}
            {t.errors > 0 && !active && (
              <span className="badge failed" aria-label={`${t.errors} error${t.errors > 1 ? 's' : ''}`}>
                {t.errors}
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}
