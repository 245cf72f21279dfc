// The editor benchmark's workflows: one Manual trigger fanning out into a few long chains. Each chain repeats
// Set fields → HTTP request → If → (Code → Set fields | Delay → HTTP request) → Merge, laid out on a grid,
// and an unfinished HTTP node now and then (empty URL) gives the canvas the few problems real drafts have.
import type { DocumentEdge, DocumentNode, WorkflowDocument } from '../ir/types';

const COLUMN = 260;
const LANE = 110;
const CHAIN_HEIGHT = 3 * LANE + 60;
const UNFINISHED_EVERY = 40;

type Lane = -1 | 0 | 1;
interface Slot {
  type: string;
  lane: Lane;
  /** Index in the block of the node this one follows, with the source port; -1 is the previous block's end. */
  after: number;
  port?: 'true' | 'false';
  column: number;
}

const BLOCK: Slot[] = [
  { type: 'set-fields', lane: 0, after: -1, column: 0 },
  { type: 'http-request', lane: 0, after: 0, column: 1 },
  { type: 'if', lane: 0, after: 1, column: 2 },
  { type: 'code', lane: -1, after: 2, port: 'true', column: 3 },
  { type: 'set-fields', lane: -1, after: 3, column: 4 },
  { type: 'delay', lane: 1, after: 2, port: 'false', column: 3 },
  { type: 'http-request', lane: 1, after: 5, column: 4 },
  { type: 'merge', lane: 0, after: 4, column: 5 },
];
const BLOCK_COLUMNS = 6;
/** The Merge also takes the false branch's last node. */
const SECOND_MERGE_INPUT = 6;

const TITLES: Record<string, string> = {
  'set-fields': 'Set fields',
  'http-request': 'HTTP request',
  if: 'If',
  code: 'Code',
  delay: 'Delay',
  merge: 'Merge',
};

function paramsFor(type: string, n: number): Record<string, unknown> {
  switch (type) {
    case 'set-fields':
      return { fields: { [`field${n}`]: '{{ $input.id }}', source: 'bench' }, keepInput: true };
    case 'http-request':
      return {
        method: 'GET',
        url: n % UNFINISHED_EVERY === 1 ? '' : `https://api.example.com/items/{{ $input.id }}?page=${n}`,
      };
    case 'if':
      return { left: '{{ $input.status }}', operator: 'equals', right: 200 };
    case 'code':
      return { code: 'return items.map((item) => ({ ...item, seen: true }));' };
    case 'delay':
      return { amount: 5, unit: 'seconds' };
    case 'merge':
      return { mode: 'append' };
    default:
      return {};
  }
}

/** A valid draft of exactly `total` nodes (the trigger included). */
export function editorBenchDocument(total: number): WorkflowDocument {
  // About four times as many nodes per chain as chains: the whole graph is roughly twice as wide as high.
  const chains = Math.max(1, Math.round(Math.sqrt(total / 4)));
  const nodes: DocumentNode[] = [
    {
      id: 'trigger',
      type: 'manual-trigger',
      version: 1,
      name: 'Manual trigger',
      position: { x: 0, y: ((chains - 1) * CHAIN_HEIGHT) / 2 },
      params: {},
    },
  ];
  const edges: DocumentEdge[] = [];
  const counts: Record<string, number> = {};
  const add = (type: string, x: number, y: number): string => {
    counts[type] = (counts[type] ?? 0) + 1;
    const id = `n${nodes.length}`;
    nodes.push({
      id,
      type,
      version: 1,
      name: `${TITLES[type]} ${counts[type]}`,
      position: { x, y },
      params: paramsFor(type, counts[type]),
    });
    return id;
  };
  const connect = (source: string, target: string, sourcePort = 'out') =>
    edges.push({ id: `e${edges.length}`, source, sourcePort, target, targetPort: 'in' });

  for (let chain = 0; chain < chains; chain++) {
    const budget = Math.floor((total - 1) / chains) + (chain < (total - 1) % chains ? 1 : 0);
    const y0 = chain * CHAIN_HEIGHT + LANE;
    let end = 'trigger';
    let column = 1;
    let used = 0;
    while (used < budget) {
      if (budget - used >= BLOCK.length) {
        const ids: string[] = [];
        for (const slot of BLOCK) {
          const id = add(slot.type, (column + slot.column) * COLUMN, y0 + slot.lane * LANE);
          connect(slot.after < 0 ? end : ids[slot.after], id, slot.port);
          ids.push(id);
        }
        connect(ids[SECOND_MERGE_INPUT], ids[ids.length - 1]);
        end = ids[ids.length - 1];
        column += BLOCK_COLUMNS;
        used += BLOCK.length;
      } else {
        const id = add('set-fields', column * COLUMN, y0);
        connect(end, id);
        end = id;
        column += 1;
        used += 1;
      }
    }
  }
  return { nodes, edges, settings: {} };
}
