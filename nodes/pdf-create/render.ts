// Checked blocks (nodes/documents/blocks) laid out on PDF pages with pdf-lib's standard Helvetica: text wrapped to
// the margins, a new page when one is full, tables with equal columns whose header row repeats on each page.
import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Block } from '../documents/blocks';
import { WinAnsiText } from './text-encoding';

const PAGE = { A4: [595.28, 841.89], Letter: [612, 792] } as const;
const MARGIN = 56;
const BODY = 11;
const HEADING = { 1: 20, 2: 16, 3: 13 } as const;
const TABLE_TEXT = 9;
const CELL_PAD = 4;
const LEADING = 1.35;

export interface RenderedPdf {
  data: Buffer;
  pages: number;
  /** Characters the standard fonts cannot write, replaced in the document. */
  replaced: string[];
}

/** Lines of `text` no wider than `width`; words longer than a line are cut. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

class Pages {
  page!: PDFPage;
  y = 0;
  count = 0;
  constructor(
    private readonly doc: PDFDocument,
    private readonly size: readonly [number, number],
  ) {
    this.next();
  }
  get width() {
    return this.size[0] - 2 * MARGIN;
  }
  get height() {
    return this.size[1] - 2 * MARGIN;
  }
  next() {
    this.page = this.doc.addPage([...this.size]);
    this.y = this.size[1] - MARGIN;
    this.count++;
  }
  /** Starts a new page unless `height` more fits on this one. */
  room(height: number) {
    if (this.y - height < MARGIN && this.y < this.size[1] - MARGIN) this.next();
  }
  lines(lines: string[], font: PDFFont, size: number, x = MARGIN) {
    for (const line of lines) {
      this.room(size * LEADING);
      this.y -= size * LEADING;
      this.page.drawText(line, { x, y: this.y + size * 0.25, size, font });
    }
  }
}

export async function renderPdf(
  blocks: Block[],
  opts: { title?: string; pageSize: keyof typeof PAGE },
): Promise<RenderedPdf> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const text = new WinAnsiText(regular);
  const pages = new Pages(doc, PAGE[opts.pageSize]);
  const gap = (points: number) => {
    pages.y -= points;
  };

  for (const block of blocks) {
    switch (block.kind) {
      case 'heading': {
        const size = HEADING[block.level];
        gap(size * 0.6);
        pages.room(size * LEADING * 2); // keep a heading with what follows it
        pages.lines(wrap(text.fit(block.text), bold, size, pages.width), bold, size);
        gap(size * 0.3);
        break;
      }
      case 'paragraph':
        pages.lines(wrap(text.fit(block.text), regular, BODY, pages.width), regular, BODY);
        gap(BODY * 0.6);
        break;
      case 'list':
        block.items.forEach((item, i) => {
          const marker = block.ordered ? `${i + 1}.` : '•';
          const indent = 18;
          const lines = wrap(text.fit(item), regular, BODY, pages.width - indent);
          pages.room(BODY * LEADING);
          pages.page.drawText(marker, {
            x: MARGIN + 4,
            y: pages.y - BODY * LEADING + BODY * 0.25,
            size: BODY,
            font: regular,
          });
          pages.lines(lines, regular, BODY, MARGIN + indent);
        });
        gap(BODY * 0.6);
        break;
      case 'table':
        drawTable(pages, block, text, regular, bold);
        gap(BODY * 0.8);
        break;
      case 'pageBreak':
        pages.next();
        break;
    }
  }

  if (opts.title) doc.setTitle(text.fit(opts.title), { showInWindowTitleBar: true });
  doc.setCreator('Baton');
  doc.setProducer('Baton (pdf-lib)');
  const data = Buffer.from(await doc.save());
  return { data, pages: pages.count, replaced: [...text.replaced] };
}

function drawTable(
  pages: Pages,
  table: Extract<Block, { kind: 'table' }>,
  text: WinAnsiText,
  regular: PDFFont,
  bold: PDFFont,
) {
  const columns = table.header.length;
  const colWidth = pages.width / columns;
  const lineHeight = TABLE_TEXT * LEADING;
  // A row taller than a page is cut, so that every row fits on one page with the header.
  const maxLines = Math.max(1, Math.floor((pages.height / 2 - 2 * CELL_PAD) / lineHeight));
  const layout = (cells: string[], font: PDFFont) =>
    cells.map((c) => {
      const lines = wrap(text.fit(c), font, TABLE_TEXT, colWidth - 2 * CELL_PAD);
      return lines.length > maxLines ? [...lines.slice(0, maxLines - 1), '…'] : lines;
    });
  const header = layout(table.header, bold);
  const rowHeight = (cells: string[][]) => Math.max(...cells.map((c) => c.length)) * lineHeight + 2 * CELL_PAD;
  const drawRow = (cells: string[][], font: PDFFont, shade: boolean) => {
    const height = rowHeight(cells);
    const top = pages.y;
    cells.forEach((lines, i) => {
      const x = MARGIN + i * colWidth;
      pages.page.drawRectangle({
        x,
        y: top - height,
        width: colWidth,
        height,
        borderColor: rgb(0.6, 0.6, 0.6),
        borderWidth: 0.5,
        ...(shade ? { color: rgb(0.93, 0.93, 0.93) } : {}),
      });
      lines.forEach((line, l) =>
        pages.page.drawText(line, {
          x: x + CELL_PAD,
          y: top - CELL_PAD - (l + 1) * lineHeight + TABLE_TEXT * 0.3,
          size: TABLE_TEXT,
          font,
        }),
      );
    });
    pages.y -= height;
  };
  pages.room(rowHeight(header) * 2);
  drawRow(header, bold, true);
  for (const row of table.rows) {
    const cells = layout(row, regular);
    if (pages.y - rowHeight(cells) < MARGIN) {
      pages.next();
      drawRow(header, bold, true);
    }
    drawRow(cells, regular, false);
  }
}
