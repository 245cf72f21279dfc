// Markdown for descriptions people publish (marketplace listings, docs/decisions/064), rendered to HTML that is safe to
// inject: every character of the source is escaped before any tag is added, so raw HTML never passes through; the only
// tags are the ones below, and the only attributes are a link's href (http, https or mailto, re-serialised by the URL
// parser) and title, plus a fixed rel. Every step is a single forward scan with bounded look-ahead, so the time is
// linear in the input whatever it holds (no regular expression here can backtrack over a line).
//
// Supported: ATX headings, paragraphs, **strong**, *em* / _em_, `code`, fenced code, - / 1. lists (nested by
// indentation), > blockquotes, [links](https://… "title"), --- rules and pipe tables. Not supported, and shown as text:
// raw HTML, images, reference links, setext headings, entities (`&copy;` shows as typed).

/** Nesting of blockquotes and lists: deeper input is rendered as text. */
const MAX_DEPTH = 16;
const MAX_URL_CHARS = 2048;
const MAX_TITLE_CHARS = 512;
const LINK_REL = 'noopener noreferrer nofollow';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The link target as the URL parser writes it, when it is an absolute http, https or mailto URL. */
export function safeHref(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Inline: one scan producing a list of HTML pieces; emphasis and link openers remember their piece and are either
// turned into tags when closed or left as the literal characters they were.

type Opener =
  | { kind: 'emphasis'; marker: string; piece: number }
  | { kind: 'bracket'; piece: number; emphasisBase: number; linksAtOpen: number };

const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
const isSpace = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || c === '\n';
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** For each backtick run, the start of the next run of the same length: a code span's closer, found in one pass. */
function codeSpanClosers(text: string): Map<number, number> {
  const runs: Array<[start: number, length: number]> = [];
  for (let i = 0; i < text.length;) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    let j = i;
    while (text[j] === '`') j++;
    runs.push([i, j - i]);
    i = j;
  }
  const closers = new Map<number, number>();
  const nextByLength = new Map<number, number>();
  for (let r = runs.length - 1; r >= 0; r--) {
    const [start, length] = runs[r];
    const next = nextByLength.get(length);
    if (next !== undefined) closers.set(start, next);
    nextByLength.set(length, start);
  }
  return closers;
}

/** `(url "title")` from the `(` at `open`; undefined unless well formed within the bounded lengths. */
function linkTarget(text: string, open: number): { url: string; title?: string; end: number } | undefined {
  let i = open + 1;
  while (text[i] === ' ') i++;
  const urlStart = i;
  while (i < text.length && i - urlStart <= MAX_URL_CHARS && !' \t\n()<>"'.includes(text[i])) i++;
  const url = text.slice(urlStart, i);
  while (text[i] === ' ') i++;
  let title: string | undefined;
  if (text[i] === '"') {
    const close = text.indexOf('"', i + 1);
    if (close === -1 || close - i > MAX_TITLE_CHARS) return undefined;
    title = text.slice(i + 1, close);
    i = close + 1;
    while (text[i] === ' ') i++;
  }
  return text[i] === ')' && url !== '' ? { url, title, end: i + 1 } : undefined;
}

/**
 * The open emphasis markers and brackets of one inline scan. Per-marker and bracket index stacks make every lookup
 * O(1), and every opener is pushed and popped once, so a hostile run of `*` or `[` stays linear.
 */
class OpenerStack {
  readonly items: Opener[] = [];
  private readonly byMarker = new Map<string, number[]>();
  private readonly brackets: number[] = [];

  push(opener: Opener) {
    const list = opener.kind === 'bracket' ? this.brackets : this.markerList(opener.marker);
    list.push(this.items.length);
    this.items.push(opener);
  }

  /** Pops every opener at `depth` and above: those still open inside a closed span stay literal text. */
  popTo(depth: number) {
    while (this.items.length > depth) {
      const o = this.items.pop()!;
      (o.kind === 'bracket' ? this.brackets : this.markerList(o.marker)).pop();
    }
  }

  lastMarker(marker: string): number {
    return this.byMarker.get(marker)?.at(-1) ?? -1;
  }

  lastBracket(): number {
    return this.brackets.at(-1) ?? -1;
  }

  private markerList(marker: string): number[] {
    let list = this.byMarker.get(marker);
    if (!list) this.byMarker.set(marker, (list = []));
    return list;
  }
}

/** Drops the trailing spaces of the last piece, returning how many there were (two or more make a hard break). */
function trimTrailingSpaces(pieces: string[]): number {
  const last = pieces.length - 1;
  if (last < 0) return 0;
  const piece = pieces[last];
  let end = piece.length;
  while (end > 0 && piece[end - 1] === ' ') end--;
  pieces[last] = piece.slice(0, end);
  return piece.length - end;
}

export function renderInline(text: string): string {
  // Pieces are escaped HTML; an opener's piece holds its literal marker until its closer turns it into a tag.
  const pieces: string[] = [];
  const openers = new OpenerStack();
  const closers = codeSpanClosers(text);
  /** Emphasis openers below this index are outside the innermost open bracket and cannot close inside it. */
  let emphasisBase = 0;
  let links = 0;

  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '\\' && PUNCTUATION.has(text[i + 1])) {
      pieces.push(escapeHtml(text[i + 1]));
      i += 2;
    } else if (c === '`') {
      let j = i;
      while (text[j] === '`') j++;
      const close = closers.get(i);
      if (close === undefined) {
        pieces.push(text.slice(i, j));
        i = j;
      } else {
        const code = text.slice(j, close).replace(/\n/g, ' ');
        const trimmed = code.length > 2 && code.startsWith(' ') && code.endsWith(' ') ? code.slice(1, -1) : code;
        pieces.push(`<code>${escapeHtml(trimmed)}</code>`);
        i = close + (j - i);
      }
    } else if (c === '*' || c === '_') {
      const marker = text[i + 1] === c ? c + c : c;
      const before = text[i - 1];
      const after = text[i + marker.length];
      const intraword = c === '_' && isWordChar(before) && isWordChar(after);
      const open = !isSpace(before) && !intraword ? openers.lastMarker(marker) : -1;
      if (open >= emphasisBase) {
        const tag = marker.length === 2 ? 'strong' : 'em';
        pieces[openers.items[open].piece] = `<${tag}>`;
        pieces.push(`</${tag}>`);
        openers.popTo(open);
      } else {
        if (!isSpace(after) && !intraword) openers.push({ kind: 'emphasis', marker, piece: pieces.length });
        pieces.push(marker);
      }
      i += marker.length;
    } else if (c === '[') {
      openers.push({ kind: 'bracket', piece: pieces.length, emphasisBase, linksAtOpen: links });
      emphasisBase = openers.items.length;
      pieces.push('[');
      i++;
    } else if (c === ']') {
      const b = openers.lastBracket();
      const bracket = b === -1 ? undefined : (openers.items[b] as Extract<Opener, { kind: 'bracket' }>);
      // A bracket that already holds a link cannot become one: no links inside links.
      const target =
        bracket && bracket.linksAtOpen === links && text[i + 1] === '(' ? linkTarget(text, i + 1) : undefined;
      const href = target && safeHref(target.url);
      if (bracket) {
        openers.popTo(b);
        emphasisBase = bracket.emphasisBase;
      }
      if (bracket && target && href) {
        const title = target.title ? ` title="${escapeHtml(target.title)}"` : '';
        pieces[bracket.piece] = `<a href="${escapeHtml(href)}"${title} rel="${LINK_REL}">`;
        pieces.push('</a>');
        links++;
        i = target.end;
      } else {
        // Not a link, or an unsafe one: the brackets and the target stay as typed, as text.
        pieces.push(']');
        i++;
      }
    } else if (c === '\n') {
      pieces.push(trimTrailingSpaces(pieces) >= 2 ? '<br>\n' : '\n');
      i++;
    } else {
      let j = i + 1;
      while (j < text.length && !'\\`*_[]\n'.includes(text[j])) j++;
      pieces.push(escapeHtml(text.slice(i, j)));
      i = j;
    }
  }
  return pieces.join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Blocks: lines are grouped by their first characters; quotes and list items render their inner lines recursively.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})(?: +|$)/;
const LIST_ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])( +|$)/;
const QUOTE = /^ {0,3}> ?/;

/** `---`, `***` or `___`, spaces allowed between: checked by hand to keep the scan linear. */
function isRule(line: string): boolean {
  const chars = line.replace(/ /g, '');
  return chars.length >= 3 && '-*_'.includes(chars[0]) && chars.split(chars[0]).every((part) => part === '');
}

const isBlank = (line: string) => line.trim() === '';

/** The cells of a `| a | b |` row; a backslash-escaped `\|` stays in its cell. */
function tableCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  const body = line.trim().replace(/^\|/, '');
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && body[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (body[i] === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += body[i];
  }
  if (cell.trim() !== '' || !line.trim().endsWith('|')) cells.push(cell.trim());
  return cells;
}

const isDelimiterRow = (line: string) =>
  line.includes('-') && line.includes('|') && tableCells(line).every((cell) => /^:?-+:?$/.test(cell));

/** Whether `line` starts a block other than a paragraph, which ends a paragraph running into it. */
function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || QUOTE.test(line) || LIST_ITEM.test(line) || isRule(line);
}

function renderTable(header: string, rows: string[]): string {
  const head = tableCells(header);
  const cell = (tag: string, text: string) => `<${tag}>${renderInline(text)}</${tag}>`;
  const body = rows.map((row) => {
    const cells = tableCells(row);
    return `<tr>${head.map((_, i) => cell('td', cells[i] ?? '')).join('')}</tr>`;
  });
  return (
    `<table><thead><tr>${head.map((h) => cell('th', h)).join('')}</tr></thead>` +
    (body.length ? `<tbody>${body.join('')}</tbody>` : '') +
    '</table>'
  );
}

/** One list from `lines[start]` on: its items' lines (indentation removed) and where the list ends. */
function collectList(lines: string[], start: number) {
  const first = LIST_ITEM.exec(lines[start])!;
  const ordered = /\d/.test(first[2]);
  const items: string[][] = [];
  let i = start;
  while (i < lines.length) {
    const m = LIST_ITEM.exec(lines[i]);
    if (!m || /\d/.test(m[2]) !== ordered) break;
    const indent = m[0].length;
    const item = [lines[i].slice(indent)];
    i++;
    while (i < lines.length) {
      const line = lines[i];
      const leading = line.length - line.trimStart().length;
      if (isBlank(line)) {
        // A blank line continues the item only when an indented line follows it.
        const next = lines[i + 1];
        if (next === undefined || isBlank(next) || next.length - next.trimStart().length < Math.min(indent, 2)) break;
        item.push('');
      } else if (leading >= Math.min(indent, 2)) item.push(line.slice(Math.min(leading, indent)));
      else if (!startsBlock(line) && !isBlank(item[item.length - 1])) item.push(line);
      else break;
      i++;
    }
    items.push(item);
    while (i < lines.length && isBlank(lines[i]) && lines[i + 1] !== undefined && LIST_ITEM.test(lines[i + 1])) i++;
  }
  const startNumber = ordered ? parseInt(first[2], 10) : 1;
  return { ordered, startNumber, items, end: i };
}

function renderBlocks(lines: string[], depth: number): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1];
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trimStart().startsWith(marker)) code.push(lines[i++]);
      i++;
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}${code.length ? '\n' : ''}</code></pre>`);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1].length;
      const text = line
        .slice(heading[0].length)
        .replace(/(?:^| )#+ *$/, '')
        .trim();
      out.push(`<h${level}>${renderInline(text)}</h${level}>`);
      i++;
      continue;
    }
    if (isRule(line)) {
      out.push('<hr>');
      i++;
      continue;
    }
    if (depth < MAX_DEPTH && QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && !isBlank(lines[i]) && (QUOTE.test(lines[i]) || !startsBlock(lines[i])))
        inner.push(lines[i++].replace(QUOTE, ''));
      out.push(`<blockquote>${renderBlocks(inner, depth + 1)}</blockquote>`);
      continue;
    }
    if (depth < MAX_DEPTH && LIST_ITEM.test(line)) {
      const list = collectList(lines, i);
      const tag = list.ordered ? 'ol' : 'ul';
      // No attributes but a link's: an ordered list that starts elsewhere than 1 starts at 1.
      const items = list.items.map((item) => {
        const html = renderBlocks(item, depth + 1);
        const tight = html.startsWith('<p>') && html.indexOf('<p>', 1) === -1 ? html.replace(/^<p>|<\/p>/g, '') : html;
        return `<li>${tight}</li>`;
      });
      out.push(`<${tag}>${items.join('')}</${tag}>`);
      i = list.end;
      continue;
    }
    if (line.includes('|') && lines[i + 1] !== undefined && isDelimiterRow(lines[i + 1])) {
      const header = line;
      const rows: string[] = [];
      i += 2;
      while (i < lines.length && !isBlank(lines[i]) && lines[i].includes('|')) rows.push(lines[i++]);
      out.push(renderTable(header, rows));
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && !isBlank(lines[i]) && (paragraph.length === 0 || !startsBlock(lines[i])))
      paragraph.push(lines[i++].trimStart());
    out.push(`<p>${renderInline(paragraph.join('\n').trimEnd())}</p>`);
  }
  return out.join('\n');
}

/** `markdown` as HTML safe to inject into a page (see the header for what is kept and what is refused). */
export function renderMarkdown(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').replaceAll('\0', '\ufffd').split('\n');
  return renderBlocks(lines, 0);
}
