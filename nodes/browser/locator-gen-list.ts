// Proposes an `extractMany` step from one picked element of a repeated structure (a table row, a card, a list item):
// the item locator (one CSS pattern that matches the picked item and all its like siblings) and fields (the text
// of the item's parts, links' addresses, images' sources), each a locator relative to the item, as extract.ts
// reads them. Like generateLocator, it runs in the page (the recorder injects its source) and uses only its
// arguments; `generate` is generateLocator, for the list's container.
import type { LocatorPurpose } from './locator-gen';

export interface ListProposal {
  /** The locator of every item: the container's locator, then `>> :scope > tag.classes`. */
  items: string;
  /** Field name → locator inside an item (`:scope > td:nth-of-type(2)`, `a.name @href`). */
  fields: Record<string, string>;
  /** How many items the locator matches now. */
  count: number;
  /** The picked item's values, to preview what a run would extract. */
  sample: Record<string, string | null>;
}

export function proposeList(
  target: Element,
  generate: (el: Element, purpose: LocatorPurpose) => string,
): ListProposal | null {
  const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  // Generated class names (css-1x2y, sc-abc123) change between builds; names with digits are skipped.
  const stable = (s: string) => /^[A-Za-z][\w-]*$/.test(s) && !/\d/.test(s);
  const classes = (el: Element) => Array.from(el.classList).filter(stable);
  // Siblings of the same tag that share a class with it (a featured card is still a card).
  const likeSiblings = (el: Element): Element[] => {
    const parent = el.parentElement;
    if (!parent) return [el];
    const own = classes(el);
    return Array.from(parent.children).filter(
      (c) => c.tagName === el.tagName && (own.length === 0 || own.some((cls) => c.classList.contains(cls))),
    );
  };
  const hasText = (el: Element) => norm((el as HTMLElement).innerText ?? el.textContent) !== '';

  // The item: the nearest element, from the picked one up, with like siblings and parts of its own (a cell repeats
  // too, but has no parts: its row is the item).
  let item: Element | null = target;
  while (item && item !== item.ownerDocument.body) {
    if (likeSiblings(item).length >= 2 && item.querySelector('*') && hasText(item)) break;
    item = item.parentElement;
  }
  if (!item || item === item.ownerDocument.body || !item.parentElement) return null;
  const container = item.parentElement;
  const tag = item.tagName.toLowerCase();
  const shared = classes(item).filter((cls) => likeSiblings(item!).every((s) => s.classList.contains(cls)));
  // Rows of header cells only (a table without thead) are not items.
  const rowFilter = tag === 'tr' && likeSiblings(item).some((r) => !r.querySelector('td')) ? ':has(> td)' : '';
  const itemSelector = `:scope > ${tag}${shared.map((c) => `.${c}`).join('')}${rowFilter}`;
  const all = Array.from(container.querySelectorAll(itemSelector));
  if (!all.includes(item)) return null;

  // --- fields: the item's leaves with text, and its links and images ------------------------------------------
  const stepOf = (el: Element): string => {
    const t = el.tagName.toLowerCase();
    const parent = el.parentElement!;
    const same = Array.from(parent.children).filter((c) => c.tagName === el.tagName);
    return same.length === 1 ? t : `${t}:nth-of-type(${same.indexOf(el) + 1})`;
  };
  /** The shortest relative locator: a class found once in each item, else the path of tags from the item. */
  const relative = (el: Element): string => {
    for (const cls of classes(el)) {
      const selector = `${el.tagName.toLowerCase()}.${cls}`;
      if (all.every((it) => it.querySelectorAll(selector).length <= 1) && item!.querySelector(selector) === el)
        return selector;
    }
    const path: string[] = [];
    for (let el2: Element | null = el; el2 && el2 !== item; el2 = el2.parentElement) path.unshift(stepOf(el2));
    return `:scope > ${path.join(' > ')}`;
  };
  const camel = (text: string) => {
    const words =
      text
        .toLowerCase()
        .match(/[a-z0-9]+/g)
        ?.slice(0, 3) ?? [];
    const name = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
    return /^[a-z]/.test(name) ? name.slice(0, 40) : '';
  };
  // A table's columns are named by their headers.
  const headers: string[] = [];
  const table = item.closest('table');
  if (tag === 'tr' && table) {
    const headRow = table.querySelector('thead tr') ?? table.querySelector('tr:has(> th)');
    headRow?.querySelectorAll(':scope > th, :scope > td').forEach((cell) => headers.push(norm(cell.textContent)));
  }
  const nameOf = (el: Element): string => {
    if (el.tagName === 'TD' || el.tagName === 'TH') {
      const header = headers[Array.from(el.parentElement!.children).indexOf(el)];
      if (header && camel(header)) return camel(header);
    }
    const testId = el.getAttribute('data-testid');
    if (testId && camel(testId)) return camel(testId);
    const cls = classes(el)[0];
    if (cls && camel(cls)) return camel(cls);
    if (/^H[1-6]$/.test(el.tagName)) return 'title';
    if (el.tagName === 'A') return 'link';
    return 'text';
  };

  const fields: Record<string, string> = {};
  const sample: Record<string, string | null> = {};
  const add = (name: string, locator: string, value: string | null) => {
    if (Object.keys(fields).length >= 12 || Object.values(fields).includes(locator)) return;
    let unique = name;
    for (let n = 2; unique in fields; n++) unique = `${name}${n}`;
    fields[unique] = locator;
    sample[unique] = value;
  };
  const leaves = Array.from(item.querySelectorAll('*')).filter(
    (el) =>
      !['SCRIPT', 'STYLE', 'BR'].includes(el.tagName) &&
      hasText(el) &&
      !Array.from(el.children).some((c) => hasText(c)),
  );
  for (const el of leaves) add(nameOf(el), relative(el), norm((el as HTMLElement).innerText ?? el.textContent));
  item.querySelectorAll('a[href], img[src]').forEach((el) => {
    const attr = el.tagName === 'A' ? 'href' : 'src';
    const base = el.tagName === 'A' ? nameOf(el) : 'image';
    add(
      base === 'link' || base === 'image' ? base : `${base}${attr === 'href' ? 'Link' : 'Image'}`,
      `${relative(el)} @${attr}`,
      el.getAttribute(attr),
    );
  });
  if (Object.keys(fields).length === 0) return null;

  const containerLocator = generate(container, 'extract');
  return { items: `${containerLocator} >> ${itemSelector}`, fields, count: all.length, sample };
}
