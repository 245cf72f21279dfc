// The node palette: search (focus with "/"), grouped by category; drag an item onto the canvas, or press Enter.
import { useReactFlow, type XYPosition } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { CATEGORY_GROUPS, CATEGORY_ORDER, type NodeDescription } from '../../lib/node-description';
import { useEditor, useWorkflowStore } from '../../stores/workflow-store-context';
import { NODE_SIZE, PALETTE_MIME } from '../canvas/Canvas';
import { NodeIcon } from '../canvas/NodeIcon';

const GAP = { x: NODE_SIZE.width + 40, y: NODE_SIZE.height + 36 };

// Candidate offsets in grid steps, nearest first (below before above, right before left on ties).
const OFFSETS = Array.from({ length: 81 }, (_, i) => ({ dx: (i % 9) - 4, dy: Math.floor(i / 9) - 4 })).sort(
  (a, b) =>
    Math.hypot(a.dx * GAP.x, a.dy * GAP.y) - Math.hypot(b.dx * GAP.x, b.dy * GAP.y) || b.dy - a.dy || b.dx - a.dx,
);

/** The nearest spot to `at` where a new node would not overlap an existing one. */
function freeSpot(at: XYPosition, nodes: Array<{ position: XYPosition }>): XYPosition {
  const overlaps = (p: XYPosition) =>
    nodes.some((n) => Math.abs(n.position.x - p.x) < GAP.x - 20 && Math.abs(n.position.y - p.y) < GAP.y - 16);
  for (const { dx, dy } of OFFSETS) {
    const p = { x: at.x + dx * GAP.x, y: at.y + dy * GAP.y };
    if (!overlaps(p)) return p;
  }
  return at;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el?.closest('input, textarea, select, [contenteditable="true"], .monaco-editor');
}

export function Palette() {
  const specs = useEditor((s) => s.specs);
  const readOnly = useEditor((s) => s.readOnly);
  const addNode = useEditor((s) => s.addNode);
  const store = useWorkflowStore(); // nodes are read when adding, not subscribed to (that re-rendered on every drag frame)
  const { screenToFlowPosition } = useReactFlow();
  const [query, setQuery] = useState('');
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      e.preventDefault();
      search.current?.focus();
      search.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const matches = Object.values(specs).filter(
      (s) =>
        !s.hiddenFromPalette && (!q || `${s.title} ${s.description} ${s.type} ${s.category}`.toLowerCase().includes(q)),
    );
    return CATEGORY_ORDER.map((category) => ({
      category,
      items: matches.filter((s) => s.category === category),
    })).filter((g) => g.items.length);
  }, [specs, query]);

  /** Keyboard path: place the node at the middle of the visible canvas, or the nearest free spot around it. */
  const addNearCenter = (spec: NodeDescription) => {
    const rect = document.querySelector('[data-canvas]')?.getBoundingClientRect();
    if (!rect) return;
    const center = screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
    addNode(
      spec.type,
      freeSpot({ x: center.x - NODE_SIZE.width / 2, y: center.y - NODE_SIZE.height / 2 }, store.getState().nodes),
    );
  };

  const onItemKey = (e: KeyboardEvent<HTMLLIElement>, spec: NodeDescription) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      addNearCenter(spec);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const items = Array.from(document.querySelectorAll<HTMLElement>('.palette-item'));
      const i = items.indexOf(e.currentTarget);
      items[Math.min(Math.max(i + (e.key === 'ArrowDown' ? 1 : -1), 0), items.length - 1)]?.focus();
    }
  };

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'Enter') {
      e.preventDefault();
      document.querySelector<HTMLElement>('.palette-item')?.focus();
    } else if (e.key === 'Escape') {
      setQuery('');
      e.currentTarget.blur();
    }
  };

  return (
    <aside className={`palette${readOnly ? ' read-only' : ''}`} aria-label="Node palette">
      <div className="palette-search">
        <input
          ref={search}
          className="input"
          type="search"
          placeholder="Search nodes"
          aria-label="Search nodes"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onSearchKey}
        />
        <kbd>/</kbd>
      </div>
      <div className="palette-groups">
        {groups.length === 0 && <p className="palette-none">No node matches “{query}”.</p>}
        {groups.map((group) => (
          <section key={group.category}>
            <h3>{CATEGORY_GROUPS[group.category]}</h3>
            <ul>
              {group.items.map((spec) => (
                <li
                  key={spec.type}
                  className={`palette-item cat-${spec.category}`}
                  tabIndex={readOnly ? -1 : 0}
                  role="button"
                  aria-label={`Add ${spec.title}`}
                  aria-disabled={readOnly || undefined}
                  draggable={!readOnly}
                  data-node-type={spec.type}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(PALETTE_MIME, spec.type);
                    e.dataTransfer.effectAllowed = 'move';
                  }}
                  onKeyDown={(e) => !readOnly && onItemKey(e, spec)}
                  onDoubleClick={() => !readOnly && addNearCenter(spec)}
                >
                  <span className="palette-icon">
                    <NodeIcon icon={spec.icon} category={spec.category} />
                  </span>
                  <span className="palette-text">
                    <span className="palette-title">{spec.title}</span>
                    <span className="palette-desc">{spec.description}</span>
                  </span>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </aside>
  );
}
