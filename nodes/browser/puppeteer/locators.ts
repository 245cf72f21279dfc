// Turns a step's Baton locator (../locators.ts: role=, text=, label=, testid=, placeholder=, xpath=, frame=, CSS,
// chained with " >> ") into Puppeteer selectors: the engines in query-handlers.ts for roles, text and labels,
// ::-p-xpath, CSS for the rest. Each frame= starts a new selector inside that iframe. What Puppeteer cannot
// express fails with a plain Error saying so (the runner names the step).
import { LABEL_ENGINE, ROLE_ENGINE, TEXT_ENGINE, type RoleNameOp, type RoleQuery } from './query-handlers';

export interface PuppeteerLocator {
  /** Selectors of the iframes to enter, outermost first, each resolved inside the previous one. */
  frames: string[];
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

/** A p-selector argument: Puppeteer unquotes it and drops backslashes before escaped characters. */
function pArgument(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
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

/** One " >> " segment as a Puppeteer selector; `nested` when it is resolved inside an earlier match. */
function segment(part: string, nested: boolean): string {
  const match = /^([a-z][\w-]*)=(.*)$/is.exec(part);
  if (!match) {
    if (part.startsWith('//') || part.startsWith('..')) return segment(`xpath=${part}`, nested);
    if (/^["']/.test(part)) return `::-p-${TEXT_ENGINE}(${pArgument(textQuery(part))})`;
    if (PLAYWRIGHT_PSEUDOS.test(part))
      throw new Error(`the Puppeteer engine cannot use Playwright's ${PLAYWRIGHT_PSEUDOS.exec(part)![0]} in CSS`);
    return part;
  }
  const [, engine, rest] = match;
  const value = rest.trim();
  switch (engine) {
    case 'css':
      return segment(value, nested);
    case 'role':
      return roleSelector(value);
    case 'text':
      return `::-p-${TEXT_ENGINE}(${pArgument(textQuery(value))})`;
    case 'label':
      return `::-p-${LABEL_ENGINE}(${pArgument(textQuery(value))})`;
    case 'testid':
      return `[data-testid=${cssString(unquoteValue(value))}]`;
    case 'placeholder': {
      const query = textQuery(value);
      const text = cssString(query.slice(1));
      return query.startsWith('=') ? `[placeholder=${text}]` : `[placeholder*=${text} i]`;
    }
    case 'xpath':
      // Inside an earlier match, an absolute path starts from that element, as Playwright reads it.
      return `::-p-xpath(${pArgument(nested && value.startsWith('/') ? `.${value}` : value)})`;
    default:
      throw new Error(
        `the Puppeteer engine has no ${engine}= locators; use role=, text=, label=, testid=, CSS or XPath`,
      );
  }
}

/** The Puppeteer selectors `target` stands for; throws a plain Error saying what is wrong. */
export function translateLocator(target: string): PuppeteerLocator {
  const parts = target.split(/\s+>>\s+/).map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new Error(`the locator "${target}" has an empty part`);
  if (parts[parts.length - 1].startsWith('frame=')) {
    throw new Error(`the locator "${target}" ends in a frame; add " >> " and what to find inside it`);
  }
  const frames: string[] = [];
  let chain: string[] = [];
  for (const part of parts) {
    if (part.startsWith('frame=')) {
      chain.push(segment(part.slice('frame='.length).trim(), chain.length > 0));
      frames.push(chain.join(' '));
      chain = [];
    } else chain.push(segment(part, chain.length > 0));
  }
  return { frames, selector: chain.join(' ') };
}
