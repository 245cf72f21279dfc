// The geometry of a workflow preview (docs/decisions/064): node cards where the editor put them, ports where the canvas
// draws its handles, and the viewBox that fits them. Pure and lenient: it reads a stored document as `unknown`, skips
// what it cannot draw instead of throwing, and rounds every number so the same graph always gives the same picture.
import type { NodeSpec } from '../../nodes/define';
import { registry } from '../../nodes/index';
import { nodeOutputPorts } from '../../nodes/ports';

/** The canvas card's size (app/styles/canvas.css `.wf-node`) and its Switch growth (WorkflowNode's PORT_SPACING). */
export const CARD = { width: 220, minHeight: 64, portSpacing: 22 } as const;

export const PREVIEW_LIMITS = {
  /** Nodes drawn; the rest are counted in a caption. Stays fast and small for the 2000-node document maximum. */
  nodes: 500,
  edges: 2000,
  /** Characters of a node's name and type line before "…". */
  nameChars: 20,
  typeChars: 26,
} as const;

export type SpecLookup = (type: string, version: number) => NodeSpec | undefined;

const defaultLookup: SpecLookup = (type, version) => registry.get(type, version) ?? registry.latest(type);

export interface PreviewPort {
  id: string;
  y: number;
}

export interface PreviewCard {
  id: string;
  name: string;
  /** The spec's title, or a note that the type is unknown. */
  typeTitle: string;
  category: NodeSpec['category'] | 'unknown';
  x: number;
  y: number;
  height: number;
  disabled: boolean;
  inputs: PreviewPort[];
  outputs: PreviewPort[];
}

export interface PreviewLink {
  from: { x: number; y: number };
  to: { x: number; y: number };
}

export interface PreviewLayout {
  cards: PreviewCard[];
  links: PreviewLink[];
  /** Nodes in the document, drawn or not. */
  totalNodes: number;
  viewBox: { x: number; y: number; width: number; height: number };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** One decimal: enough for a picture, and stable text for equal inputs. */
export const round = (n: number) => Math.round(n * 10) / 10;

/** Y offsets of `count` handles spread over a card `height` tall, as the canvas's `portTop` does. */
function portOffsets(ids: string[], height: number): PreviewPort[] {
  return ids.map((id, i) => ({ id, y: round(((i + 1) / (ids.length + 1)) * height) }));
}

function cardOf(raw: Record<string, unknown>, lookup: SpecLookup): PreviewCard | undefined {
  const { id, type, version, name, position } = raw;
  if (typeof id !== 'string' || typeof type !== 'string' || !isRecord(position)) return undefined;
  if (!isFiniteNumber(position.x) || !isFiniteNumber(position.y)) return undefined;
  const spec = isFiniteNumber(version) ? lookup(type, version) : undefined;
  const params = isRecord(raw.params) ? raw.params : {};
  const policy = isRecord(raw.policy) ? { errorOutput: raw.policy.errorOutput === true } : undefined;
  const outputs = spec ? nodeOutputPorts(spec, params, policy).map((p) => p.id) : ['out'];
  const inputs = spec ? spec.inputs.map((p) => p.id) : ['in'];
  const height = outputs.length > 2 ? (outputs.length + 1) * CARD.portSpacing : CARD.minHeight;
  return {
    id,
    name: typeof name === 'string' && name.trim() !== '' ? name : id,
    typeTitle: spec ? spec.title : `Unknown type ${type}`,
    category: spec ? spec.category : 'unknown',
    x: round(position.x),
    y: round(position.y),
    height,
    disabled: raw.disabled === true,
    inputs: portOffsets(inputs, height),
    outputs: portOffsets(outputs, height),
  };
}

/** Where an edge leaves or enters a card: its port's handle, or the card's middle for a port it does not have. */
function anchor(card: PreviewCard, side: 'in' | 'out', port: unknown) {
  const ports = side === 'out' ? card.outputs : card.inputs;
  const y = ports.find((p) => p.id === port)?.y ?? round(card.height / 2);
  return { x: side === 'out' ? card.x + CARD.width : card.x, y: card.y + y };
}

/**
 * The smallest box holding every card, padded, widened to the picture's aspect ratio and never so small that a lone
 * node fills the picture: `minWidth` world units at least.
 */
function fit(cards: PreviewCard[], aspect: number, minWidth: number): PreviewLayout['viewBox'] {
  const padding = 48;
  let [x0, y0, x1, y1] = [0, 0, 0, 0];
  cards.forEach((c, i) => {
    x0 = i === 0 ? c.x : Math.min(x0, c.x);
    y0 = i === 0 ? c.y : Math.min(y0, c.y);
    x1 = i === 0 ? c.x + CARD.width : Math.max(x1, c.x + CARD.width);
    y1 = i === 0 ? c.y + c.height : Math.max(y1, c.y + c.height);
  });
  let width = Math.max(x1 - x0 + 2 * padding, minWidth);
  let height = y1 - y0 + 2 * padding;
  if (width / height < aspect) width = height * aspect;
  else height = width / aspect;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return { x: round(cx - width / 2), y: round(cy - height / 2), width: round(width), height: round(height) };
}

/** Lays out `document` (a stored workflow document, trusted for nothing) for a picture of the given aspect ratio. */
export function layoutPreview(
  document: unknown,
  options: { aspect: number; minWidth: number; lookup?: SpecLookup },
): PreviewLayout {
  const lookup = options.lookup ?? defaultLookup;
  const rawNodes = isRecord(document) && Array.isArray(document.nodes) ? document.nodes : [];
  const rawEdges = isRecord(document) && Array.isArray(document.edges) ? document.edges : [];
  const cards = new Map<string, PreviewCard>();
  for (const raw of rawNodes) {
    if (cards.size >= PREVIEW_LIMITS.nodes) break;
    const card = isRecord(raw) ? cardOf(raw, lookup) : undefined;
    if (card && !cards.has(card.id)) cards.set(card.id, card);
  }
  const links: PreviewLink[] = [];
  for (const raw of rawEdges) {
    if (links.length >= PREVIEW_LIMITS.edges) break;
    if (!isRecord(raw) || typeof raw.source !== 'string' || typeof raw.target !== 'string') continue;
    const source = cards.get(raw.source);
    const target = cards.get(raw.target);
    if (source && target)
      links.push({ from: anchor(source, 'out', raw.sourcePort), to: anchor(target, 'in', raw.targetPort) });
  }
  const list = [...cards.values()];
  return {
    cards: list,
    links,
    totalNodes: rawNodes.length,
    viewBox: fit(list, options.aspect, options.minWidth),
  };
}
