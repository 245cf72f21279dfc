// A workflow's canvas as a self-contained SVG (docs/decisions/064): the editor's dark canvas, cards coloured by
// category, edges as the canvas's bezier curves. Listings and social cards show it. Every piece of text is escaped, the
// picture holds no script, style sheet, link or external reference, and equal graphs give equal bytes.
import {
  CARD,
  layoutPreview,
  PREVIEW_LIMITS,
  round,
  type PreviewCard,
  type PreviewLink,
  type SpecLookup,
} from './layout';

export const PREVIEW_SIZES = {
  /** Open Graph card size. */
  large: { width: 1200, height: 630 },
  /** Gallery and list thumbnails. */
  small: { width: 400, height: 210 },
} as const;

export type PreviewSize = keyof typeof PREVIEW_SIZES;

/** The editor's category colours (app/styles/editor.css `.cat-*`). */
const CATEGORY_COLOURS: Record<PreviewCard['category'], string> = {
  trigger: '#dc6803',
  core: '#5b5bd6',
  flow: '#0e9384',
  integration: '#1570ef',
  ai: '#9e3bd6',
  human: '#dd2590',
  browser: '#0891b2',
  unknown: '#667085',
};

/** Canvas colours (app/styles/canvas.css). */
const THEME = {
  background: '#11131a',
  card: '#1c202b',
  cardBorder: '#303646',
  name: '#eef0f6',
  type: '#9aa1b5',
  edge: '#5c6378',
  handle: '#1b1f2b',
  handleBorder: '#8a91a8',
  font: 'Inter, system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
} as const;

// XML 1.0 allows tab, newline, carriage return and U+0020 up, minus lone surrogates and U+FFFE/U+FFFF. A pair of
// surrogates (an emoji) is matched first and kept.
const NOT_XML_CHAR =
  // eslint-disable-next-line no-control-regex
  /([\ud800-\udbff][\udc00-\udfff])|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/g;

/** Text made safe for an SVG text node or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML_CHAR, (_, pair: string | undefined) => pair ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** At most `max` characters (code points, so no half of an emoji), "…" when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= max
    ? chars.join('')
    : chars
        .slice(0, max - 1)
        .join('')
        .trimEnd() + '…';
}

/** `colour` blended toward `base` by `share` of `colour`, as CSS `color-mix(in srgb, …)`. */
function mix(colour: string, share: number, base: string): string {
  const channel = (hex: string, i: number) => parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  const out = [0, 1, 2].map((i) => Math.round(channel(colour, i) * share + channel(base, i) * (1 - share)));
  return '#' + out.map((v) => v.toString(16).padStart(2, '0')).join('');
}

/** React Flow's default bezier (getBezierPath, curvature 0.25) from a right-hand handle to a left-hand one. */
function edgePath({ from, to }: PreviewLink): string {
  const offset = (distance: number) => (distance >= 0 ? 0.5 * distance : 0.25 * 25 * Math.sqrt(-distance));
  const c1 = round(from.x + offset(to.x - from.x));
  const c2 = round(to.x - offset(to.x - from.x));
  return `M${round(from.x)},${round(from.y)} C${c1},${round(from.y)} ${c2},${round(to.y)} ${round(to.x)},${round(to.y)}`;
}

function cardSvg(card: PreviewCard): string {
  const colour = CATEGORY_COLOURS[card.category];
  const { x, y, height } = card;
  const mid = round(y + height / 2);
  const handles = [
    ...card.inputs.map((p) => ({ cx: x, cy: y + p.y })),
    ...card.outputs.map((p) => ({ cx: x + CARD.width, cy: y + p.y })),
  ]
    .map((h) => `<circle cx="${round(h.cx)}" cy="${round(h.cy)}" r="4"/>`)
    .join('');
  const initial = escapeXml(Array.from(card.typeTitle)[0]?.toUpperCase() ?? '?');
  return [
    `<g${card.disabled ? ' opacity="0.5"' : ''}>`,
    `<rect x="${x}" y="${y}" width="${CARD.width}" height="${height}" rx="12" fill="${THEME.card}" stroke="${THEME.cardBorder}" stroke-width="1.5"/>`,
    `<rect x="${round(x - 1.5)}" y="${y + 12}" width="3" height="${height - 24}" rx="1.5" fill="${colour}"/>`,
    `<rect x="${x + 12}" y="${round(mid - 18)}" width="36" height="36" rx="9" fill="${mix(colour, 0.22, THEME.card)}"/>`,
    `<text x="${x + 30}" y="${round(mid + 5)}" text-anchor="middle" font-size="14" font-weight="700" fill="${mix(colour, 0.6, '#ffffff')}">${initial}</text>`,
    `<text x="${x + 58}" y="${round(mid - 3)}" font-size="13" font-weight="600" fill="${THEME.name}">${escapeXml(truncate(card.name, PREVIEW_LIMITS.nameChars))}</text>`,
    `<text x="${x + 58}" y="${round(mid + 13)}" font-size="11" fill="${THEME.type}">${escapeXml(truncate(card.typeTitle, PREVIEW_LIMITS.typeChars))}</text>`,
    `<g fill="${THEME.handle}" stroke="${THEME.handleBorder}" stroke-width="1.5">${handles}</g>`,
    '</g>',
  ].join('');
}

export interface PreviewOptions {
  size?: PreviewSize;
  /** Read by screen readers and shown as a tooltip: usually the workflow's name. */
  title?: string;
  /** Node specs by type and version; the node registry by default. */
  lookup?: SpecLookup;
}

/** The preview picture of a workflow document (any stored document: what cannot be drawn is left out). */
export function renderWorkflowPreviewSvg(document: unknown, options: PreviewOptions = {}): string {
  const { width, height } = PREVIEW_SIZES[options.size ?? 'large'];
  // World units are the same for both sizes, so the small picture is the large one scaled down.
  const layout = layoutPreview(document, {
    aspect: width / height,
    minWidth: PREVIEW_SIZES.large.width / 1.25,
    lookup: options.lookup,
  });
  const vb = layout.viewBox;
  const label = `Workflow preview${options.title ? `: ${truncate(options.title, 200)}` : ''}`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${vb.x} ${vb.y} ${vb.width} ${vb.height}" role="img" aria-label="${escapeXml(label)}">`,
    `<title>${escapeXml(label)}</title>`,
    `<rect x="${vb.x}" y="${vb.y}" width="${vb.width}" height="${vb.height}" fill="${THEME.background}"/>`,
    `<g fill="none" stroke="${THEME.edge}" stroke-width="2">`,
    ...layout.links.map((link) => `<path d="${edgePath(link)}"/>`),
    '</g>',
    `<g font-family="${THEME.font}">`,
    ...layout.cards.map(cardSvg),
    '</g>',
  ];
  const caption =
    layout.cards.length === 0
      ? 'Empty workflow'
      : layout.totalNodes > layout.cards.length
        ? `Showing ${layout.cards.length} of ${layout.totalNodes} nodes`
        : '';
  if (caption) {
    const empty = layout.cards.length === 0;
    const cx = round(vb.x + vb.width / 2);
    const cy = round(empty ? vb.y + vb.height / 2 : vb.y + vb.height - vb.height * 0.04);
    const size = round(vb.height * (empty ? 0.05 : 0.035));
    parts.push(
      `<text x="${cx}" y="${cy}" text-anchor="middle" font-family="${THEME.font}" font-size="${size}" fill="${THEME.type}">${caption}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

/** `svg` as a `data:` URL for an `<img>`, where a browser runs no script and loads nothing, whatever the picture held. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
