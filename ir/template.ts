// Splits a `{{ … }}` template into literal text and JSONata sources. A scanner rather than a regex, because
// JSONata object constructors and strings contain braces: `{{ {"a": {"b": 1}} }}` is one expression.
import { ExpressionError } from './errors';

export type TemplatePart = { text: string } | { expr: string };

/** Longest JSONata source accepted between one pair of braces. */
export const MAX_EXPRESSION_LENGTH = 10_000;
/** Most expressions accepted in one string. */
export const MAX_EXPRESSIONS_PER_STRING = 200;
/**
 * Most `.` in one expression (outside strings and comments). JSONata's parser rescans a path's steps at every
 * step, so a 4,000-step `$.a.a.a…` takes a third of a second to parse; ordinary expressions have a few dots.
 */
export const MAX_EXPRESSION_DOTS = 100;

export function isTemplate(s: string): boolean {
  return s.includes('{{');
}

export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let cursor = 0;
  while (cursor < template.length) {
    const open = template.indexOf('{{', cursor);
    if (open < 0) break;
    if (open > cursor) parts.push({ text: template.slice(cursor, open) });
    const close = findClose(template, open + 2);
    if (close < 0) {
      throw new ExpressionError(
        `Unclosed "{{" at character ${open + 1}; add the closing "}}"`,
        preview(template.slice(open)),
      );
    }
    const expr = template.slice(open + 2, close).trim();
    if (!expr) throw new ExpressionError('Empty expression "{{ }}"; write a JSONata expression between the braces', '');
    if (expr.length > MAX_EXPRESSION_LENGTH) {
      throw new ExpressionError(
        `Expression is ${expr.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`,
        preview(expr),
      );
    }
    const dots = countDots(expr);
    if (dots > MAX_EXPRESSION_DOTS) {
      throw new ExpressionError(
        `Expression has ${dots} path steps ("."); the limit is ${MAX_EXPRESSION_DOTS}: split it up or use a Code node`,
        preview(expr),
      );
    }
    parts.push({ expr });
    if (parts.length > MAX_EXPRESSIONS_PER_STRING * 2) {
      throw new ExpressionError(`More than ${MAX_EXPRESSIONS_PER_STRING} expressions in one value`, preview(expr));
    }
    cursor = close + 2;
  }
  if (cursor < template.length) parts.push({ text: template.slice(cursor) });
  return parts;
}

/** Index of the `}}` that ends the expression starting at `from`, skipping strings, names and comments. */
function findClose(s: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < s.length) {
    const c = s[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipQuoted(s, i, c);
      continue;
    }
    if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      if (end < 0) return -1;
      i = end + 2;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0 && s[i + 1] === '}') return i;
      depth = Math.max(0, depth - 1);
    }
    i++;
  }
  return -1;
}

/** Dots outside strings, names in backticks and comments (regex literals and decimals count: an overestimate). */
function countDots(expr: string): number {
  let dots = 0;
  for (let i = 0; i < expr.length;) {
    const c = expr[i];
    if (c === '"' || c === "'" || c === '`') i = skipQuoted(expr, i, c);
    else if (c === '/' && expr[i + 1] === '*') {
      const end = expr.indexOf('*/', i + 2);
      i = end < 0 ? expr.length : end + 2;
    } else {
      if (c === '.') dots++;
      i++;
    }
  }
  return dots;
}

function skipQuoted(s: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < s.length) {
    if (s[i] === '\\' && quote !== '`') i += 2;
    else if (s[i] === quote) return i + 1;
    else i++;
  }
  return s.length;
}

/** A short excerpt for error messages, so a 200 KB expression does not end up in a log line. */
export function preview(expr: string, max = 120): string {
  return expr.length > max ? `${expr.slice(0, max)}…` : expr;
}
