// Locator engines Puppeteer lacks, registered as custom query handlers so selectors can use ::-p-batontext(…) and
// ::-p-batonlabel(…) with Playwright's matching rules: whitespace collapsed, `=` + text for an exact match, `~` +
// text for a case-insensitive substring. The functions run in the page, so they are self-contained: no helpers
// and no named inner functions (a transpiler's name-keeping wrapper would not exist there).
import type { Puppeteer } from 'puppeteer-core';

export const TEXT_ENGINE = 'batontext';
export const LABEL_ENGINE = 'batonlabel';

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

/** Registers the engines once per process (Puppeteer keeps them in a static registry). */
export function registerLocatorEngines(puppeteer: typeof Puppeteer): void {
  const known = puppeteer.customQueryHandlerNames();
  if (!known.includes(TEXT_ENGINE)) puppeteer.registerCustomQueryHandler(TEXT_ENGINE, { queryAll: textQueryAll });
  if (!known.includes(LABEL_ENGINE)) puppeteer.registerCustomQueryHandler(LABEL_ENGINE, { queryAll: labelQueryAll });
}
