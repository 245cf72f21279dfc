// Picks a robust locator for an element, the way Playwright's codegen does: a test id, else its role and
// accessible name, its label, its placeholder, its short text, else a short CSS path. Each candidate must match
// exactly one element on the page before it is chosen, and is written in the syntax nodes/browser/locators.ts reads.
// `generateLocator` runs in the page (the recorder injects its source), so it uses nothing outside its own body.

/**
 * What the locator is for: an `action` (click, fill) may name the element by its visible text; an `extract` target
 * must not, since the text is the data and changes from run to run (`text="Welcome, Ada"` would miss "Welcome, Bob").
 * A `frame` is an iframe a `frame=` segment enters: plain CSS (its name, title or test id, else a path), since
 * locators.ts hands that segment to Playwright's own selector engines.
 */
export type LocatorPurpose = 'action' | 'extract' | 'frame';

export function generateLocator(target: Element, purpose: LocatorPurpose): string {
  const doc = target.ownerDocument;
  const all = Array.from(doc.querySelectorAll('*'));
  const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  if (purpose === 'frame') {
    const tag = target.tagName.toLowerCase();
    for (const attr of ['data-testid', 'name', 'title']) {
      const value = target.getAttribute(attr);
      const selector = value ? `${tag}[${attr}=${quote(value)}]` : '';
      if (selector && doc.querySelectorAll(selector).length === 1) return selector;
    }
  }
  // Rendered at all: Playwright's role, label and text engines skip what is hidden.
  const hidden = (el: Element) =>
    el.closest('[hidden], [aria-hidden="true"]') !== null || (el as HTMLElement).getClientRects().length === 0;

  // --- candidates, each with a counter of how many elements it matches -----------------------------------------
  const testId = target.getAttribute('data-testid');

  const roleOf = (el: Element): string => {
    const explicit = norm(el.getAttribute('role')).split(' ')[0];
    if (explicit) return explicit;
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute('type') ?? 'text').toLowerCase();
    if ((tag === 'a' || tag === 'area') && el.hasAttribute('href')) return 'link';
    if (tag === 'button') return 'button';
    if (tag === 'input') {
      if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
      if (type === 'checkbox' || type === 'radio') return type;
      return '';
    }
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (tag === 'option') return 'option';
    if (tag === 'summary') return 'button';
    return '';
  };
  // Roles people click, named by what they read; form fields are better named by their label.
  const namedRoles = ['button', 'link', 'checkbox', 'radio', 'tab', 'menuitem', 'option', 'switch', 'heading'];
  // The accessible name, only where it is simple to compute exactly as the browser does; else none.
  const nameOf = (el: Element): string => {
    const label = norm(el.getAttribute('aria-label'));
    if (label) return label;
    if (el.hasAttribute('aria-labelledby')) return '';
    const tag = el.tagName.toLowerCase();
    if (tag === 'input') {
      const type = (el.getAttribute('type') ?? '').toLowerCase();
      if (type === 'checkbox' || type === 'radio') return labelOf(el);
      return norm((el as HTMLInputElement).value);
    }
    if (el.querySelector('img, svg, input, select, textarea, [aria-label]')) return '';
    return norm(el.textContent);
  };
  // A form field's label text without the text of the controls inside the label.
  const labelOf = (el: Element): string => {
    const aria = norm(el.getAttribute('aria-label'));
    if (aria) return aria;
    const labels = (el as HTMLInputElement).labels;
    if (!labels || labels.length !== 1) return '';
    const copy = labels[0].cloneNode(true) as Element;
    copy.querySelectorAll('input, select, textarea, button').forEach((c) => c.remove());
    return norm(copy.textContent);
  };
  const isField = (el: Element) => ['input', 'select', 'textarea'].includes(el.tagName.toLowerCase());
  // Playwright's text engine matches the innermost elements whose whole text is the string.
  const textMatches = (text: string) =>
    all.filter(
      (el) =>
        !['script', 'style', 'head', 'title', 'html'].includes(el.tagName.toLowerCase()) &&
        norm(el.textContent) === text &&
        !Array.from(el.children).some((child) => norm(child.textContent) === text),
    );

  const candidates: Array<{ locator: string; count: () => number }> = [];
  if (testId && purpose !== 'frame')
    candidates.push({
      locator: /^[\w.:-]+$/.test(testId) ? `testid=${testId}` : `[data-testid=${quote(testId)}]`,
      count: () => all.filter((el) => el.getAttribute('data-testid') === testId).length,
    });
  const role = roleOf(target);
  const name = namedRoles.includes(role) && !hidden(target) ? nameOf(target) : '';
  if (name && name.length <= 80 && (purpose === 'action' || (role !== 'heading' && role !== 'option')))
    candidates.push({
      locator: `role=${role}[name=${quote(name)}]`,
      count: () => all.filter((el) => roleOf(el) === role && !hidden(el) && nameOf(el) === name).length,
    });
  const label = isField(target) ? labelOf(target) : '';
  if (label && label.length <= 80)
    candidates.push({
      locator: `label=${quote(label)}`,
      count: () => all.filter((el) => isField(el) && labelOf(el) === label).length,
    });
  const placeholder = norm(target.getAttribute('placeholder'));
  if (placeholder)
    candidates.push({
      locator: `placeholder=${quote(placeholder)}`,
      count: () => all.filter((el) => norm(el.getAttribute('placeholder')) === placeholder).length,
    });
  const text = purpose === 'action' && !isField(target) ? norm(target.textContent) : '';
  if (text && text.length <= 40 && !hidden(target))
    candidates.push({ locator: `text=${quote(text)}`, count: () => textMatches(text).length });

  for (const candidate of candidates) if (candidate.count() === 1) return candidate.locator;

  // --- CSS: an id, a tag, a tag with a class, else a path of :nth-of-type steps up to a unique anchor -----------
  const unique = (selector: string) => {
    try {
      return doc.querySelectorAll(selector).length === 1;
    } catch {
      return false;
    }
  };
  // Generated ids and classes (react-select-3, css-1x2y3z) change between builds; names with digits are skipped.
  const stable = (s: string) => /^[A-Za-z][\w-]*$/.test(s) && !/\d/.test(s);
  const own = (el: Element): string | undefined => {
    const tag = el.tagName.toLowerCase();
    if (el.id && stable(el.id) && unique(`#${el.id}`)) return `#${el.id}`;
    if (unique(tag)) return tag;
    for (const cls of Array.from(el.classList).filter(stable).slice(0, 3))
      if (unique(`${tag}.${cls}`)) return `${tag}.${cls}`;
    return undefined;
  };
  const step = (el: Element): string => {
    const tag = el.tagName.toLowerCase();
    const parent = el.parentElement;
    if (!parent) return tag;
    const same = Array.from(parent.children).filter((c) => c.tagName === el.tagName);
    return same.length === 1 ? tag : `${tag}:nth-of-type(${same.indexOf(el) + 1})`;
  };
  const direct = own(target);
  if (direct) return direct;
  const path = [step(target)];
  for (let el = target.parentElement; el && el !== doc.documentElement; el = el.parentElement) {
    const anchor = own(el);
    if (anchor) {
      const selector = `${anchor} > ${path.join(' > ')}`;
      if (unique(selector)) return selector;
    }
    path.unshift(step(el));
    if (unique(path.join(' > '))) return path.join(' > ');
  }
  return `html > ${path.join(' > ')}`;
}
