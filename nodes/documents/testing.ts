// Reading generated documents back in tests, with no converter: a DOCX's word/document.xml as text, and a PDF's
// text-showing operators from its (deflated) content streams, as pdf-lib writes them with the standard fonts.
import { inflateSync } from 'node:zlib';
import PizZip from 'pizzip';

/** The text of a DOCX's body: paragraphs on their own lines, table cells separated by " | ". */
export function docxText(data: Buffer): string {
  const xml = new PizZip(data).file('word/document.xml')?.asText();
  if (xml === undefined) throw new Error('Not a DOCX: word/document.xml is missing.');
  return xml
    .replace(/<\/w:p>\s*<\/w:tc>/g, ' | ')
    .replace(/<\/w:tr>/g, '\n')
    .replace(/<\/w:p>/g, '\n')
    .replace(/<w:br\/>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

// WinAnsi is Latin-1 but for 0x80–0x9F, where it has typographic characters (€, dashes, quotes, bullet).
const WIN_ANSI_80 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function winAnsi(bytes: Buffer): string {
  return [...bytes].map((b) => (b >= 0x80 && b <= 0x9f ? WIN_ANSI_80[b - 0x80] : String.fromCharCode(b))).join('');
}

/** Every string a PDF's content streams show (`<hex> Tj`), one per line, decoded as WinAnsi. */
export function pdfText(data: Buffer): string {
  const raw = data.toString('latin1');
  const lines: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(match[1], 'latin1')).toString('latin1');
    } catch {
      continue; // not a deflated stream (fonts, metadata)
    }
    for (const shown of content.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) lines.push(winAnsi(Buffer.from(shown[1], 'hex')));
  }
  return lines.join('\n');
}
