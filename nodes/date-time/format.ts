// Date & time format patterns: a small token set, documented in the spec, so a pattern means the same on every
// worker whatever its locale. Letters outside the tokens are refused (quote literal text), which catches
// moment.js spellings such as YYYY-MM-DD instead of printing them.
import { NodeError } from '../errors';
import { wallAt } from './zone';

/** The tokens, longest first so `SSS` is not read as something shorter. */
export const FORMAT_TOKENS = ['yyyy', 'SSS', 'XXX', 'MM', 'dd', 'HH', 'mm', 'ss'] as const;
type Token = (typeof FORMAT_TOKENS)[number];

/** The whole-pattern keyword for ISO 8601 with the zone's offset. */
export const ISO_FORMAT = 'ISO';
const ISO_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

type Piece = { token: Token } | { text: string };

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function tokenize(pattern: string): Piece[] | string {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < pattern.length) {
    if (pattern[i] === "'") {
      // '' inside or outside quotes is one quote character, as in Java and Unicode date patterns.
      if (pattern[i + 1] === "'") {
        pieces.push({ text: "'" });
        i += 2;
        continue;
      }
      let text = '';
      let j = i + 1;
      for (; j < pattern.length; j++) {
        if (pattern[j] !== "'") text += pattern[j];
        else if (pattern[j + 1] === "'") text += pattern[j++];
        else break;
      }
      if (j >= pattern.length) return `has a quote that is never closed (at character ${i + 1})`;
      pieces.push({ text });
      i = j + 1;
      continue;
    }
    const token = FORMAT_TOKENS.find((t) => pattern.startsWith(t, i));
    if (token) {
      pieces.push({ token });
      i += token.length;
    } else if (/[A-Za-z]/.test(pattern[i])) {
      return (
        `has "${pattern[i]}" (at character ${i + 1}), which is not a token; the tokens are ` +
        `${FORMAT_TOKENS.join(', ')} or the whole pattern ISO. Put literal text in single quotes, as in 'at'`
      );
    } else {
      pieces.push({ text: pattern[i++] });
    }
  }
  return pieces;
}

/** What is wrong with a format pattern, for the param schema; undefined when it is usable. */
export function formatProblem(pattern: string): string | undefined {
  if (pattern.trim() === ISO_FORMAT) return undefined;
  const pieces = tokenize(pattern);
  return typeof pieces === 'string' ? pieces : undefined;
}

function offsetText(offsetMs: number): string {
  if (offsetMs === 0) return 'Z';
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  return `${offsetMs < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60), 2)}:${pad(minutes % 60, 2)}`;
}

/** `instant` written with `pattern` as the clock in `zone` shows it. */
export function formatInstant(instant: number, zone: string, pattern: string): string {
  const pieces = tokenize(pattern.trim() === ISO_FORMAT ? ISO_PATTERN : pattern);
  if (typeof pieces === 'string') {
    throw new NodeError(`Date & time: the format "${pattern}" ${pieces}`, { code: 'param-invalid', retryable: false });
  }
  const wall = new Date(wallAt(instant, zone));
  const values: Record<Token, string> = {
    yyyy: pad(wall.getUTCFullYear(), 4),
    MM: pad(wall.getUTCMonth() + 1, 2),
    dd: pad(wall.getUTCDate(), 2),
    HH: pad(wall.getUTCHours(), 2),
    mm: pad(wall.getUTCMinutes(), 2),
    ss: pad(wall.getUTCSeconds(), 2),
    SSS: pad(wall.getUTCMilliseconds(), 3),
    XXX: offsetText(wall.getTime() - instant),
  };
  return pieces.map((p) => ('token' in p ? values[p.token] : p.text)).join('');
}
