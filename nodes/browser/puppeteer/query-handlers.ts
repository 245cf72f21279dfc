// Locator engines Puppeteer lacks, registered as custom query handlers so selectors can use ::-p-batontext(…),
// ::-p-batonlabel(…), ::-p-batonrole(…) and ::-p-batoncss(…) with Playwright's matching rules. Text and labels:
// whitespace collapsed, `=` + text for an exact match, `~` + text for a case-insensitive substring; roles: see
// roleQueryAll; CSS: see cssQueryAll. The functions run in the page, so they are self-contained: no helpers and no
// named inner functions (a transpiler's name-keeping wrapper would not exist there).
import type { Puppeteer } from 'puppeteer-core';

export const TEXT_ENGINE = 'batontext';
export const LABEL_ENGINE = 'batonlabel';
export const ROLE_ENGINE = 'batonrole';
export const CSS_ENGINE = 'batoncss';

export type RoleNameOp = '=' | '*=' | '^=' | '$=' | '|=' | '~=';

/** A role= locator as ROLE_ENGINE's argument (JSON): the role, and how the accessible name must match. */
export interface RoleQuery {
  role: string;
  name?: { op: RoleNameOp; value: string; caseSensitive: boolean } | { regex: string; flags: string };
}

/** The deepest elements under `root` (itself included) whose text matches; script and style text does not count. */
const textQueryAll = (root: Node, arg: string): Element[] => {
  const exact = arg.startsWith('=');
  const collapsed = arg.slice(1).replace(/\s+/g, ' ').trim();
  const wanted = exact ? collapsed : collapsed.toLowerCase();
  const candidates = Array.from((root as ParentNode).querySelectorAll?.('*') ?? []);
  if (root instanceof Element) candidates.unshift(root);
  const matched = new Set<Element>();
  for (const el of candidates) {
    if (el.closest('script, style, noscript, template, head')) continue;
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (exact ? text === wanted : text.toLowerCase().includes(wanted)) matched.add(el);
  }
  return [...matched].filter((el) => !Array.from(el.children).some((child) => matched.has(child)));
};

/** Form controls under `root` whose label (a <label>, aria-label or aria-labelledby) matches. */
const labelQueryAll = (root: Node, arg: string): Element[] => {
  const exact = arg.startsWith('=');
  const collapsed = arg.slice(1).replace(/\s+/g, ' ').trim();
  const wanted = exact ? collapsed : collapsed.toLowerCase();
  const candidates = Array.from((root as ParentNode).querySelectorAll?.('*') ?? []);
  if (root instanceof Element) candidates.unshift(root);
  return candidates.filter((el) => {
    const names = Array.from((el as HTMLInputElement).labels ?? []).map((label) => label.textContent ?? '');
    const ariaLabel = el.getAttribute('aria-label');
    if (ariaLabel !== null) names.push(ariaLabel);
    for (const id of (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean))
      names.push(document.getElementById(id)?.textContent ?? '');
    return names.some((name) => {
      const text = name.replace(/\s+/g, ' ').trim();
      return exact ? text === wanted : text.toLowerCase().includes(wanted);
    });
  });
};

/**
 * Elements under `root` with the role whose accessible name matches, as Playwright's role= engine matches them:
 * Chromium's own computed role and name (the ComputedAccessibilityInfo feature pool.ts turns on), whitespace
 * collapsed on both sides, case-sensitive unless the locator says `i`, elements hidden from assistive technology
 * left out.
 */
const roleQueryAll = (root: Node, arg: string): Element[] => {
  const query = JSON.parse(arg) as RoleQuery;
  type Computed = Element & { computedRole?: string | null; computedName?: string | null };
  const candidates = Array.from((root as ParentNode).querySelectorAll?.('*') ?? []) as Computed[];
  if (root instanceof Element) candidates.unshift(root as Computed);
  // Chromium says "image" where ARIA and Playwright say "img".
  const wanted = query.role === 'img' ? 'image' : query.role;
  const name = query.name;
  const regex = name && 'regex' in name ? new RegExp(name.regex, name.flags) : undefined;
  return candidates.filter((el) => {
    if (el.computedRole !== wanted) return false;
    if (el.closest('[aria-hidden="true"]') || !el.checkVisibility({ visibilityProperty: true })) return false;
    if (!name) return true;
    const actual = (el.computedName ?? '').replace(/\s+/g, ' ').trim();
    if (regex) {
      regex.lastIndex = 0;
      return regex.test(actual);
    }
    if (!('op' in name)) return false;
    const value = name.value.replace(/\s+/g, ' ').trim();
    const have = name.caseSensitive ? actual : actual.toUpperCase();
    const want = name.caseSensitive ? value : value.toUpperCase();
    switch (name.op) {
      case '=':
        return have === want;
      case '*=':
        return have.includes(want);
      case '^=':
        return have.startsWith(want);
      case '$=':
        return have.endsWith(want);
      case '|=':
        return have === want || have.startsWith(`${want}-`);
      case '~=':
        return have.split(' ').includes(want);
    }
  });
};

/**
 * CSS run on each element the previous part of a chain matched, as Playwright chains `a >> b`: `:scope` is that
 * element (`tbody >> :scope > tr`), a comma ends the part, not the chain. Puppeteer's own chaining cannot say this:
 * it reads `:scope` as the document and a leading `:`, `#` or `.` as a filter on the element itself.
 */
const cssQueryAll = (root: Node, css: string): Element[] =>
  Array.from((root as ParentNode).querySelectorAll?.(css) ?? []);

/** Registers the engines once per process (Puppeteer keeps them in a static registry). */
export function registerLocatorEngines(puppeteer: typeof Puppeteer): void {
  const known = puppeteer.customQueryHandlerNames();
  if (!known.includes(TEXT_ENGINE)) puppeteer.registerCustomQueryHandler(TEXT_ENGINE, { queryAll: textQueryAll });
  if (!known.includes(LABEL_ENGINE)) puppeteer.registerCustomQueryHandler(LABEL_ENGINE, { queryAll: labelQueryAll });
  if (!known.includes(ROLE_ENGINE)) puppeteer.registerCustomQueryHandler(ROLE_ENGINE, { queryAll: roleQueryAll });
  if (!known.includes(CSS_ENGINE)) puppeteer.registerCustomQueryHandler(CSS_ENGINE, { queryAll: cssQueryAll });
}
