// A README in a small Markdown subset (headings, paragraphs, bullet and numbered lists, pipe tables, fenced code,
// **bold**, *emphasis* and `code`), parsed into plain data that TemplateReadme renders as React text nodes: nothing in a
// README ever becomes HTML, so `<script>` in one shows as those characters.
export type Inline = { kind: 'text' | 'strong' | 'em' | 'code'; text: string };
export type Block =
  | { kind: 'heading'; level: 2 | 3 | 4; inline: Inline[] }
  | { kind: 'paragraph'; inline: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'table'; head: Inline[][]; rows: Inline[][][] }
  | { kind: 'code'; text: string };

const isTableLine = (line: string) => /^\s*\|.*\|\s*$/.test(line);
const cells = (line: string) =>
  line
    .trim()
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => parseInline(c.trim().replace(/\\\|/g, '|')));

const INLINE = /(\*\*[^*]+\*\*|`[^`]+`|\*[^*\s][^*]*\*)/g;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    const token = m[0];
    if (token.startsWith('**')) out.push({ kind: 'strong', text: token.slice(2, -2) });
    else if (token.startsWith('`')) out.push({ kind: 'code', text: token.slice(1, -1) });
    else out.push({ kind: 'em', text: token.slice(1, -1) });
    last = m.index + token.length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

export function parseReadme(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', inline: parseInline(paragraph.join(' ')) });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    const item = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (isTableLine(line)) {
      flush();
      const rows: string[] = [];
      for (; i < lines.length && isTableLine(lines[i]); i++) rows.push(lines[i]);
      i--;
      const separator = rows.length > 1 && /^[\s|:-]+$/.test(rows[1]);
      blocks.push({
        kind: 'table',
        head: separator ? cells(rows[0]) : [],
        rows: rows.slice(separator ? 2 : 0).map(cells),
      });
    } else if (line.startsWith('```')) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) code.push(lines[i]);
      blocks.push({ kind: 'code', text: code.join('\n') });
    } else if (heading) {
      flush();
      // The page title is the template's own h1, so README headings start one level below it.
      const level = Math.min(4, Math.max(2, heading[1].length + 1)) as 2 | 3 | 4;
      blocks.push({ kind: 'heading', level, inline: parseInline(heading[2]) });
    } else if (item) {
      flush();
      const ordered = /\d/.test(item[1]);
      const prev = blocks[blocks.length - 1];
      if (prev?.kind === 'list' && prev.ordered === ordered) prev.items.push(parseInline(item[2]));
      else blocks.push({ kind: 'list', ordered, items: [parseInline(item[2])] });
    } else if (/^\s+\S/.test(line) && blocks[blocks.length - 1]?.kind === 'list' && paragraph.length === 0) {
      // A continuation line of the last list item.
      const list = blocks[blocks.length - 1] as Extract<Block, { kind: 'list' }>;
      list.items[list.items.length - 1].push({ kind: 'text', text: ' ' }, ...parseInline(line.trim()));
    } else if (line.trim() === '') {
      flush();
    } else {
      paragraph.push(line.trim());
    }
  }
  flush();
  // The page shows the template's title as its heading already.
  if (blocks[0]?.kind === 'heading' && /^#\s/.test(source.trimStart())) blocks.shift();
  return blocks;
}
