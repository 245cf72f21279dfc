// Checked blocks (nodes/documents/blocks) as a DOCX: Word's built-in heading styles, bulleted and numbered lists
// (each numbered list restarts at 1), tables at full width with a repeated, bold header row.
import {
  AlignmentType,
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageBreak,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Block } from '../documents/blocks';

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;

/** Text runs with the value's line breaks kept. */
function runs(text: string, bold = false): TextRun[] {
  return text.split(/\r?\n/).map((line, i) => new TextRun({ text: line, bold, ...(i > 0 ? { break: 1 } : {}) }));
}

function cell(text: string, bold = false): TableCell {
  return new TableCell({ children: [new Paragraph({ children: runs(text, bold) })] });
}

export async function renderDocx(blocks: Block[], title: string | undefined): Promise<Buffer> {
  let lists = 0;
  const children = blocks.flatMap((block): Array<Paragraph | Table> => {
    switch (block.kind) {
      case 'heading':
        return [new Paragraph({ heading: HEADINGS[block.level], children: runs(block.text) })];
      case 'paragraph':
        return [new Paragraph({ children: runs(block.text) })];
      case 'list': {
        const instance = ++lists;
        return block.items.map(
          (item) =>
            new Paragraph({
              children: runs(item),
              ...(block.ordered
                ? { numbering: { reference: 'ordered', level: 0, instance } }
                : { bullet: { level: 0 } }),
            }),
        );
      }
      case 'table':
        return [
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: [
              new TableRow({ tableHeader: true, children: block.header.map((h) => cell(h, true)) }),
              ...block.rows.map((row) => new TableRow({ children: row.map((c) => cell(c)) })),
            ],
          }),
          new Paragraph({}),
        ];
      case 'pageBreak':
        return [new Paragraph({ children: [new PageBreak()] })];
    }
  });
  const doc = new Document({
    creator: 'Baton',
    ...(title ? { title } : {}),
    numbering: {
      config: [
        {
          reference: 'ordered',
          levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }],
        },
      ],
    },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}
