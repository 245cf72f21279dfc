// The standard PDF fonts encode WinAnsi (Western European) only. Other characters are replaced by their base letter
// where there is one (Ł → L, č → c) or "?", and reported, rather than failing a letter over one name.
import type { PDFFont } from 'pdf-lib';

const BASE_LETTERS: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', ı: 'i', Ħ: 'H', ħ: 'h', ŀ: 'l', Ŀ: 'L' };

export class WinAnsiText {
  private readonly known = new Map<string, string>();
  readonly replaced = new Set<string>();

  constructor(private readonly font: PDFFont) {}

  /** `text` as the font can write it: tabs as spaces, control characters dropped, the rest replaced as above. */
  fit(text: string): string {
    let out = '';
    for (const ch of text) out += this.char(ch);
    return out;
  }

  private char(ch: string): string {
    const cached = this.known.get(ch);
    if (cached !== undefined) return cached;
    let fitted: string;
    if (ch === '\t') fitted = '    ';
    // eslint-disable-next-line no-control-regex
    else if (/[\u0000-\u001f\u007f-\u009f]/.test(ch)) fitted = '';
    else if (this.encodes(ch)) fitted = ch;
    else {
      const base = BASE_LETTERS[ch] ?? ch.normalize('NFKD').replace(/\p{M}/gu, '');
      fitted = base && base !== ch && [...base].every((c) => this.encodes(c)) ? base : '?';
      this.replaced.add(ch);
    }
    this.known.set(ch, fitted);
    return fitted;
  }

  private encodes(ch: string): boolean {
    try {
      this.font.encodeText(ch);
      return true;
    } catch {
      return false;
    }
  }
}
