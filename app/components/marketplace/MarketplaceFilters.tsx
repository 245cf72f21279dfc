// The browse page's search box and filters. They live in the URL (a filtered catalog can be linked and survives
// "back"); typing waits a moment before searching so each keystroke is not a request. "/" focuses the search box.
import { useSearchParams } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { LISTING_PERMISSIONS, LISTING_SORTS } from '../../../contracts/marketplace';
import { PERMISSION_LABELS, SORT_LABELS } from './listing-labels';

export interface FilterValues {
  q: string;
  category: string;
  permission: string;
  nodeType: string;
  sort: string;
}

const SEARCH_DELAY_MS = 250;

function useSlashFocus(target: React.RefObject<HTMLInputElement>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.metaKey || e.ctrlKey || e.altKey) return;
      if ((e.target as HTMLElement).closest('input, textarea, select, [contenteditable="true"], dialog')) return;
      e.preventDefault();
      target.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [target]);
}

export function MarketplaceFilters(props: {
  values: FilterValues;
  categories: string[];
  nodeTypes: Array<{ type: string; title: string }>;
}) {
  const [params, setParams] = useSearchParams();
  const [query, setQuery] = useState(props.values.q);
  const search = useRef<HTMLInputElement>(null);
  // The query this box last put in the URL: a URL catching up with it must not undo what was typed since.
  const pushed = useRef(props.values.q);
  useSlashFocus(search);

  const update = (next: Partial<FilterValues>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true, preventScrollReset: true });
  };

  // Searches once typing pauses; a query the URL already holds (back, a link) is not searched again.
  useEffect(() => {
    if (query === (params.get('q') ?? '')) return;
    const timer = setTimeout(() => {
      pushed.current = query.trim();
      update({ q: query.trim() });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query]);
  // The URL's query changed without typing (back, "Clear filters"): the box follows it.
  useEffect(() => {
    const q = params.get('q') ?? '';
    if (q !== pushed.current) {
      pushed.current = q;
      setQuery(q);
    }
  }, [params]);

  const { values } = props;
  return (
    <div className="marketplace-filters">
      <div className="marketplace-search">
        <input
          ref={search}
          type="search"
          className="input"
          placeholder="Search the marketplace"
          aria-label="Search the marketplace"
          aria-keyshortcuts="/"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            pushed.current = query.trim();
            update({ q: query.trim() });
          }}
        />
        {query === '' && <kbd aria-hidden="true">/</kbd>}
      </div>
      <label className="marketplace-filter">
        <span>Category</span>
        <select className="select" value={values.category} onChange={(e) => update({ category: e.target.value })}>
          <option value="">All categories</option>
          {props.categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label className="marketplace-filter">
        <span>Permission</span>
        <select className="select" value={values.permission} onChange={(e) => update({ permission: e.target.value })}>
          <option value="">Any permissions</option>
          {LISTING_PERMISSIONS.map((p) => (
            <option key={p} value={p}>
              {PERMISSION_LABELS[p].label}
            </option>
          ))}
        </select>
      </label>
      <label className="marketplace-filter">
        <span>Node type</span>
        <select className="select" value={values.nodeType} onChange={(e) => update({ nodeType: e.target.value })}>
          <option value="">Any node</option>
          {props.nodeTypes.map((n) => (
            <option key={n.type} value={n.type}>
              {n.title}
            </option>
          ))}
        </select>
      </label>
      <label className="marketplace-filter">
        <span>Sort by</span>
        <select className="select" value={values.sort} onChange={(e) => update({ sort: e.target.value })}>
          {LISTING_SORTS.map((s) => (
            <option key={s} value={s}>
              {SORT_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
