// The content of a generated document (Create DOCX, Create PDF): headings, paragraphs, lists, tables and page
// breaks, written as a list of blocks or as plain text with a little Markdown (#, -, 1.). Both renderers read the
// same checked blocks, so a workflow can switch formats without rewriting its data.
import { DocumentFieldError } from './errors';

export type Block =
  | { kind: 'heading'; text: string; level: 1 | 2 | 3 }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[]; ordered: boolean }
  | { kind: 'table'; header: string[]; rows: string[][] }
  | { kind: 'pageBreak' };

export const BLOCK_LIMITS = { blocks: 5_000, chars: 2_000_000, rows: 10_000, columns: 50 } as const;

const FIELD = 'Content';

/** The blocks `content` describes; problems name the block ("Content (block 3)") and say what is allowed. */
export function parseBlocks(content: unknown): Block[] {
  const blocks =
    typeof content === 'string'
      ? fromText(content)
      : Array.isArray(content)
        ? content.map((entry, i) => fromEntry(entry, `${FIELD} (block ${i + 1})`))
        : content === undefined || content === null
          ? []
          : [fromEntry(content, FIELD)];
  if (blocks.length > BLOCK_LIMITS.blocks)
    throw new DocumentFieldError(FIELD, `has ${blocks.length} blocks; the limit is ${BLOCK_LIMITS.blocks}`);
  const chars = blocks.reduce((n, b) => n + blockChars(b), 0);
  if (chars > BLOCK_LIMITS.chars)
    throw new DocumentFieldError(FIELD, `holds ${chars} characters of text; the limit is ${BLOCK_LIMITS.chars}`);
  if (blocks.length === 0) throw new DocumentFieldError(FIELD, 'is empty: write some text or a list of blocks');
  return blocks;
}

function blockChars(block: Block): number {
  switch (block.kind) {
    case 'heading':
    case 'paragraph':
      return block.text.length;
    case 'list':
      return block.items.reduce((n, item) => n + item.length, 0);
    case 'table':
      return [block.header, ...block.rows].reduce((n, row) => n + row.reduce((m, cell) => m + cell.length, 0), 0);
    default:
      return 0;
  }
}

/** Plain text: blank lines separate paragraphs; `#`–`###` start headings, `-`/`*` and `1.` start list items. */
function fromText(text: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { items: string[]; ordered: boolean } | undefined;
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', text: paragraph.join('\n') });
    if (list) blocks.push({ kind: 'list', ...list });
    paragraph = [];
    list = undefined;
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d{1,4}[.)]\s+(.*)$/.exec(line);
    if (line.trim() === '') flush();
    else if (heading) {
      flush();
      blocks.push({ kind: 'heading', text: heading[2], level: heading[1].length as 1 | 2 | 3 });
    } else if (bullet || numbered) {
      const ordered = !bullet;
      if (paragraph.length || (list && list.ordered !== ordered)) flush();
      list ??= { items: [], ordered };
      list.items.push((bullet ?? numbered)![1]);
    } else {
      if (list) flush();
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

function fromEntry(entry: unknown, where: string): Block {
  if (typeof entry === 'string') return { kind: 'paragraph', text: entry };
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw new DocumentFieldError(
      where,
      `must be text or a block such as { "heading": "Offer" }, not ${describe(entry)}`,
    );
  const e = entry as Record<string, unknown>;
  if ('heading' in e) {
    const level = e.level ?? 1;
    if (level !== 1 && level !== 2 && level !== 3)
      throw new DocumentFieldError(where, `heading level must be 1, 2 or 3, not ${JSON.stringify(level)}`);
    return { kind: 'heading', text: cellText(e.heading), level };
  }
  if ('paragraph' in e || 'text' in e) return { kind: 'paragraph', text: cellText(e.paragraph ?? e.text) };
  if ('list' in e || 'bullets' in e) {
    const items = e.list ?? e.bullets;
    if (!Array.isArray(items))
      throw new DocumentFieldError(where, `list must be a list of texts, not ${describe(items)}`);
    return { kind: 'list', items: items.map(cellText), ordered: e.ordered === true };
  }
  if ('table' in e) return table(e.table, e.columns, where);
  if (e.pageBreak === true) return { kind: 'pageBreak' };
  throw new DocumentFieldError(
    where,
    `has none of heading, paragraph, list, table or pageBreak (keys: ${Object.keys(e).slice(0, 5).join(', ') || 'none'})`,
  );
}

/** Rows as objects (columns from `columns`, else every key in order of appearance) or as lists (first row: header). */
function table(rows: unknown, columns: unknown, where: string): Block {
  if (!Array.isArray(rows)) throw new DocumentFieldError(where, `table must be a list of rows, not ${describe(rows)}`);
  if (rows.length > BLOCK_LIMITS.rows)
    throw new DocumentFieldError(where, `table has ${rows.length} rows; the limit is ${BLOCK_LIMITS.rows}`);
  if (columns !== undefined && (!Array.isArray(columns) || columns.some((c) => typeof c !== 'string')))
    throw new DocumentFieldError(where, 'columns must be a list of column names');
  const named = columns as string[] | undefined;
  let header: string[];
  let body: string[][];
  if (rows.every((r) => Array.isArray(r))) {
    const lists = rows as unknown[][];
    header = named ?? (lists[0] ?? []).map(cellText);
    body = (named ? lists : lists.slice(1)).map((r) => r.map(cellText));
  } else if (rows.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
    const objects = rows as Array<Record<string, unknown>>;
    header = named ?? [...new Set(objects.flatMap((r) => Object.keys(r)))];
    body = objects.map((r) => header.map((key) => cellText(Object.hasOwn(r, key) ? r[key] : '')));
  } else {
    throw new DocumentFieldError(where, 'table rows must be all objects or all lists');
  }
  const width = Math.max(header.length, ...body.map((r) => r.length));
  if (width > BLOCK_LIMITS.columns)
    throw new DocumentFieldError(where, `table has ${width} columns; the limit is ${BLOCK_LIMITS.columns}`);
  if (width === 0) throw new DocumentFieldError(where, 'table has no columns');
  const pad = (r: string[]) => [...r, ...Array<string>(width - r.length).fill('')];
  return { kind: 'table', header: pad(header), rows: body.map(pad) };
}

/** A cell or text as it is written: numbers and booleans as text, dates as ISO, anything else as JSON. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
