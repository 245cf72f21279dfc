// What the recorder injects into every page and frame it opens (context.addInitScript): listeners that report the
// person's clicks, fills, selections, checks and Enter presses to the server through a binding, each with a locator
// from locator-gen.ts (relative to its frame: the server adds the frame= segments); and the pick-mode helpers (which
// element is at a point, outline it, propose a list from it, name an iframe). Like generateLocator, the function
// runs in the page and uses only its arguments. Typed values of password fields never leave the page.
import { generateLocator, type LocatorPurpose } from './locator-gen';
import { proposeList, type ListProposal } from './locator-gen-list';

/** What the page reports; app/lib/browser-recorder.server.ts validates it (a page can call the binding too). */
export type PageAction =
  | { kind: 'click'; locator: string }
  | { kind: 'fill'; locator: string; value: string; secret: boolean }
  | { kind: 'select'; locator: string; value: string }
  | { kind: 'check' | 'uncheck'; locator: string }
  | { kind: 'press'; locator: string; key: 'Enter' };

/** An element picked for extraction. */
export interface PickedElement {
  locator: string;
  /** The enclosing table's locator, when the element is a table or inside one. */
  table?: string;
  /** Its text, shortened, to preview what would be extracted. */
  text: string;
  /** Attributes worth extracting (href, src…), name and value. */
  attributes: Array<[string, string]>;
}

export const RECORDER_BINDING = '__batonRecord';
/** Window properties the server calls in pick mode. */
export const PICK_AT = '__batonPickAt';
export const PICK_LIST_AT = '__batonPickListAt';
export const HIGHLIGHT_AT = '__batonHighlightAt';
/** Window property the server calls with an iframe element: its locator for a `frame=` segment. */
export const FRAME_LOCATOR = '__batonFrameLocator';

export function installRecorder(
  names: { binding: string; pickAt: string; pickListAt: string; highlightAt: string; frameLocator: string },
  generate: (el: Element, purpose: LocatorPurpose) => string,
  propose: (el: Element, generate: (el: Element, purpose: LocatorPurpose) => string) => ListProposal | null,
): void {
  const { binding, pickAt, pickListAt, highlightAt, frameLocator } = names;
  const report = (action: PageAction) => {
    const send = (window as unknown as Record<string, (a: PageAction) => Promise<void>>)[binding];
    if (send) send(action).catch(() => undefined);
  };
  const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  const TEXT_TYPES = ['', 'text', 'email', 'password', 'search', 'tel', 'url', 'number', 'date', 'time', 'month'];
  const isTextField = (el: Element): el is HTMLInputElement | HTMLTextAreaElement =>
    el instanceof HTMLTextAreaElement ||
    (el instanceof HTMLInputElement && TEXT_TYPES.includes((el.getAttribute('type') ?? '').toLowerCase()));
  const isToggle = (el: Element): el is HTMLInputElement =>
    el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio');

  // Text fields typed into since their last fill was reported, and the value each last reported.
  const dirty = new Set<HTMLInputElement | HTMLTextAreaElement>();
  const reported = new WeakMap<Element, string>();
  const reportFill = (field: HTMLInputElement | HTMLTextAreaElement) => {
    dirty.delete(field);
    if (reported.get(field) === field.value) return;
    reported.set(field, field.value);
    const secret = field instanceof HTMLInputElement && field.type === 'password';
    report({ kind: 'fill', locator: generate(field, 'action'), value: secret ? '' : field.value, secret });
  };
  const flush = () => dirty.forEach((field) => field.isConnected && reportFill(field));
  // Enter in a field submits its form by clicking the submit button: that click is the press, not a step of its own.
  let submittingByEnter = false;

  document.addEventListener(
    'input',
    (e) => {
      const el = e.target as Element;
      if (isTextField(el)) dirty.add(el);
    },
    true,
  );
  document.addEventListener(
    'change',
    (e) => {
      const el = e.target as Element;
      if (isTextField(el)) return reportFill(el);
      if (el instanceof HTMLSelectElement)
        return report({ kind: 'select', locator: generate(el, 'action'), value: el.value });
      if (isToggle(el))
        report({ kind: el.checked || el.type === 'radio' ? 'check' : 'uncheck', locator: generate(el, 'action') });
    },
    true,
  );
  document.addEventListener(
    'keydown',
    (e) => {
      const el = e.target as Element;
      if (e.key !== 'Enter' || !(el instanceof HTMLInputElement) || !isTextField(el)) return;
      flush();
      reportFill(el);
      report({ kind: 'press', locator: generate(el, 'action'), key: 'Enter' });
      submittingByEnter = true;
      setTimeout(() => (submittingByEnter = false), 0);
    },
    true,
  );
  document.addEventListener(
    'click',
    (e) => {
      const origin = e.target as Element;
      if (!(origin instanceof Element) || (submittingByEnter && e.detail === 0)) return;
      // A click inside a button or link is a click on it (codegen's retargeting).
      const el =
        origin.closest(
          'button, a[href], input, select, textarea, label, summary, [role=button], [role=link], [role=checkbox], ' +
            '[role=radio], [role=tab], [role=menuitem], [role=option], [data-testid]',
        ) ?? origin;
      // Fields are recorded by what was typed or chosen in them, not by the click that focused them; a label's
      // click reaches its control as a click of its own.
      if (isTextField(el) || el instanceof HTMLSelectElement || isToggle(el)) return;
      if (el instanceof HTMLLabelElement && el.control) return;
      if ((el as HTMLElement).isContentEditable) return;
      flush();
      report({ kind: 'click', locator: generate(el, 'action') });
    },
    true,
  );

  const attributesOf = (el: Element): Array<[string, string]> =>
    Array.from(el.attributes)
      .filter((a) => /^(href|src|alt|title|value|datetime|content|data-[\w-]+)$/.test(a.name))
      .slice(0, 8)
      .map((a) => [a.name, a.value.slice(0, 300)]);
  let outline: HTMLDivElement | undefined;
  Object.defineProperty(window, pickAt, {
    value: (x: number, y: number): PickedElement | null => {
      outline?.remove(); // no stray element while locators are counted
      const el = document.elementFromPoint(x, y);
      if (!el || el === document.documentElement) return null;
      const table = el.closest('table');
      return {
        locator: generate(el, 'extract'),
        ...(table ? { table: generate(table, 'extract') } : {}),
        text: norm((el as HTMLElement).innerText ?? el.textContent).slice(0, 200),
        attributes: attributesOf(el),
      };
    },
  });
  Object.defineProperty(window, pickListAt, {
    value: (x: number, y: number): ListProposal | null => {
      outline?.remove();
      const el = document.elementFromPoint(x, y);
      return el ? propose(el, generate) : null;
    },
  });
  Object.defineProperty(window, frameLocator, { value: (el: Element) => generate(el, 'frame') });
  // The outline ignores the pointer, so elementFromPoint never finds it.
  Object.defineProperty(window, highlightAt, {
    value: (x: number | null, y: number | null) => {
      const el = x === null || y === null ? null : document.elementFromPoint(x, y);
      if (!el || el === outline) return outline?.remove();
      outline ??= document.createElement('div');
      const box = el.getBoundingClientRect();
      outline.setAttribute(
        'style',
        `position:fixed;pointer-events:none;z-index:2147483647;border:2px solid #5b5bd6;background:rgba(91,91,214,.12);` +
          `left:${box.left}px;top:${box.top}px;width:${box.width}px;height:${box.height}px;border-radius:3px`,
      );
      if (!outline.isConnected) document.documentElement.append(outline);
    },
  });
}

/** The init script: installRecorder with generateLocator and proposeList, as source text for addInitScript. */
export function recorderInitScript(): string {
  const names = JSON.stringify({
    binding: RECORDER_BINDING,
    pickAt: PICK_AT,
    pickListAt: PICK_LIST_AT,
    highlightAt: HIGHLIGHT_AT,
    frameLocator: FRAME_LOCATOR,
  });
  const fns = [installRecorder, generateLocator, proposeList].map((f) => f.toString());
  // Node loaders that keep function names (tsx, esbuild's keepNames) wrap inner functions in a `__name` helper the
  // page does not have: a do-nothing one is defined around the source.
  return `(() => { const __name = (f) => f; (${fns[0]})(${names}, ${fns[1]}, ${fns[2]}); })();`;
}
