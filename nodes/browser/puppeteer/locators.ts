// Turns a step's Baton locator (../locators.ts: role=, text=, label=, testid=, placeholder=, xpath=, frame=, CSS,
// chained with " >> ") into Puppeteer selectors: the engines in query-handlers.ts for roles, text, labels and chained
// CSS, ::-p-xpath, CSS for the rest. Each part is resolved inside every match of the one before, as on Playwright, and
// each frame= starts a new selector inside that iframe. What Puppeteer cannot express fails with a plain Error saying
// so (the runner names the step).
import { CSS_ENGINE, LABEL_ENGINE, ROLE_ENGINE, TEXT_ENGINE, type RoleNameOp, type RoleQuery } from './query-handlers';

/** One iframe to enter: the user's `frame=…` part (for messages) and the selector of the iframe element. */
export interface FrameHop {
  part: string;
  selector: string;
}

export interface PuppeteerLocator {
  /** The iframes to enter, outermost first, each resolved inside the previous one. */
  frames: FrameHop[];
  /** The element(s) inside the innermost frame. */
  selector: string;
}

/** Playwright-only CSS extensions Chromium's selector engine rejects. */
const PLAYWRIGHT_PSEUDOS =
  /:(has-text|text|text-is|text-matches|visible|nth-match|left-of|right-of|above|below|near)\b/;
/** `[attr]`, or `[attr op value flag]` with op =, *=, ^=, $=, |=, ~= and flag i or s, as Playwright parses them. */
const ROLE_ATTRIBUTE =
  /\[\s*([\w-]+)\s*(?:([*^$|~]?=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\/.*?\/\w*|[^\]\s]+)\s*([is])?)?\s*\]\s*/g;

/** A CSS string: quotes and backslashes escaped, control characters as hex escapes. */
function cssString(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&').replace(/[\n\r\f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}

/**
 * A p-selector argument: Puppeteer unquotes it and drops backslashes before escaped characters. Its tokenizer ends a
 * quoted argument at a line break, so line breaks become spaces (whitespace to CSS, to XPath outside its strings, and to the text engines).
 */
function pArgument(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&').replace(/[\n\r\f]/g, ' ')}"`;
}

/** `"Sign in"` → exact; `Sign in` → case-insensitive substring, as Playwright's text= and getBy* do. */
function textQuery(raw: string): string {
  const quoted = /^"(.*)"$/s.exec(raw) ?? /^'(.*)'$/s.exec(raw);
  return quoted ? `=${quoted[1]}` : `~${raw}`;
}

function unquoteValue(value: string): string {
  const quoted = /^"(.*)"$/s.exec(value) ?? /^'(.*)'$/s.exec(value);
  return quoted ? quoted[1].replace(/\\(.)/g, '$1') : value;
}

/** A role= attribute's value: a quoted string (backslash escapes), a regular expression, or a bare word. */
function roleName(op: string, value: string, flag: string | undefined): NonNullable<RoleQuery['name']> {
  const regex = /^\/(.*)\/(\w*)$/s.exec(value);
  if (regex) {
    if (op !== '=') throw new Error(`a regular expression name takes "=", not "${op}"`);
    return { regex: regex[1], flags: regex[2] };
  }
  return { op: op as RoleNameOp, value: unquoteValue(value), caseSensitive: flag !== 'i' };
}

/**
 * `role=button[name="Sign in"]` → the role engine of query-handlers.ts, with Playwright's role= rules for the name:
 * the whole name, case-sensitive; `[name="sign in" i]` ignores case, `[name*="Sign"]` (or ^=, $=) matches a part,
 * `[name=/sign/i]` a regular expression. Role attributes other than the name are refused.
 */
function roleSelector(body: string): string {
  const role = /^[a-z]+/i.exec(body)?.[0];
  if (!role) throw new Error(`"role=${body}" names no role, such as role=button`);
  const rest = body.slice(role.length).trim();
  const attributes = [...rest.matchAll(ROLE_ATTRIBUTE)];
  if (attributes.map((m) => m[0]).join('') !== rest)
    throw new Error(`"role=${body}" is not a role locator such as role=button[name="Sign in"]`);
  const query: RoleQuery = { role: role.toLowerCase() };
  for (const [, attribute, op, value, flag] of attributes) {
    if (attribute !== 'name' || value === undefined)
      throw new Error(`the Puppeteer engine supports only [name="…"] on role= locators, not [${attribute}…]`);
    query.name = roleName(op, value, flag);
  }
  return `::-p-${ROLE_ENGINE}(${pArgument(JSON.stringify(query))})`;
}

/** One " >> " part: plain CSS (chained by selectorOf) or a Puppeteer P-selector. */
interface Piece {
  css: boolean;
  selector: string;
}

const css = (selector: string): Piece => ({ css: true, selector });
const pSelector = (selector: string): Piece => ({ css: false, selector });

/** One " >> " part as a Puppeteer selector; `nested` when it is resolved inside an earlier match. */
function segment(part: string, nested: boolean): Piece {
  const match = /^([a-z][\w-]*)=(.*)$/is.exec(part);
  if (!match) {
    if (part.startsWith('//') || part.startsWith('..')) return segment(`xpath=${part}`, nested);
    if (/^["']/.test(part)) return pSelector(`::-p-${TEXT_ENGINE}(${pArgument(textQuery(part))})`);
    if (PLAYWRIGHT_PSEUDOS.test(part))
      throw new Error(`the Puppeteer engine cannot use Playwright's ${PLAYWRIGHT_PSEUDOS.exec(part)![0]} in CSS`);
    return css(part);
  }
  const [, engine, rest] = match;
  const value = rest.trim();
  switch (engine) {
    case 'css':
      return segment(value, nested);
    case 'role':
      return pSelector(roleSelector(value));
    case 'text':
      return pSelector(`::-p-${TEXT_ENGINE}(${pArgument(textQuery(value))})`);
    case 'label':
      return pSelector(`::-p-${LABEL_ENGINE}(${pArgument(textQuery(value))})`);
    case 'testid':
      return css(`[data-testid=${cssString(unquoteValue(value))}]`);
    case 'placeholder': {
      const query = textQuery(value);
      const text = cssString(query.slice(1));
      return css(query.startsWith('=') ? `[placeholder=${text}]` : `[placeholder*=${text} i]`);
    }
    case 'xpath':
      // Inside an earlier match, an absolute path starts from that element, as Playwright reads it.
      return pSelector(`::-p-xpath(${pArgument(nested && value.startsWith('/') ? `.${value}` : value)})`);
    default:
      throw new Error(
        `the Puppeteer engine has no ${engine}= locators; use role=, text=, label=, testid=, CSS or XPath`,
      );
  }
}

/**
 * The parts of one frame as one selector. A lone CSS part on a document stays plain CSS (Puppeteer's fast path);
 * otherwise each CSS part runs on every match of the part before it (CSS_ENGINE), and P-selectors follow one
 * another with no combinator between them, so each one's root is each match of the previous one.
 */
function selectorOf(pieces: Piece[], inElement: boolean): string {
  if (pieces.length === 1 && pieces[0].css && !inElement) return pieces[0].selector;
  return pieces.map((p) => (p.css ? `::-p-${CSS_ENGINE}(${pArgument(p.selector)})` : p.selector)).join('');
}

/**
 * The Puppeteer selectors `target` stands for; throws a plain Error saying what is wrong. `inElement`: the locator
 * is resolved inside an element (extractMany's fields), so its first part is relative to it, as later parts are.
 */
export function translateLocator(target: string, { inElement = false } = {}): PuppeteerLocator {
  const parts = target.split(/\s+>>\s+/).map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new Error(`the locator "${target}" has an empty part`);
  if (parts[parts.length - 1].startsWith('frame=')) {
    throw new Error(`the locator "${target}" ends in a frame; add " >> " and what to find inside it`);
  }
  const frames: FrameHop[] = [];
  let pieces: Piece[] = [];
  const inFirstElement = () => inElement && frames.length === 0;
  for (const part of parts) {
    if (part.startsWith('frame=')) {
      pieces.push(segment(part.slice('frame='.length).trim(), pieces.length > 0 || inFirstElement()));
      frames.push({ part, selector: selectorOf(pieces, inFirstElement()) });
      pieces = [];
    } else pieces.push(segment(part, pieces.length > 0 || inFirstElement()));
  }
  return { frames, selector: selectorOf(pieces, inFirstElement()) };
}
