// Turns a step's locator string into a Playwright Locator. Playwright's own engines handle role=, text=, xpath=
// and css=; Baton adds label=, testid=, placeholder= (user-facing locators Playwright exposes only as getBy* calls)
// and frame= (enter an iframe). Segments chain with " >> ", each resolved inside the previous one.
import type { FrameLocator, Locator, Page } from 'playwright-core';

/** Where a locator is resolved: the page, an element (extractMany's rows) or an iframe. */
export type LocatorScope = Page | Locator | FrameLocator;

/** `"Sign in"` → exact match on Sign in; `Sign in` → case-insensitive substring, as Playwright's text= does. */
function textArg(raw: string): { text: string; exact: boolean } {
  const quoted = /^"(.*)"$/s.exec(raw) ?? /^'(.*)'$/s.exec(raw);
  return quoted ? { text: quoted[1], exact: true } : { text: raw, exact: false };
}

function segment(scope: LocatorScope, part: string): LocatorScope {
  const match = /^(label|testid|placeholder|frame)=(.*)$/s.exec(part);
  if (!match) return scope.locator(part);
  const [, engine, rest] = match;
  const { text, exact } = textArg(rest.trim());
  if (engine === 'label') return scope.getByLabel(text, { exact });
  if (engine === 'testid') return scope.getByTestId(text);
  if (engine === 'placeholder') return scope.getByPlaceholder(text, { exact });
  return scope.locator(rest.trim()).contentFrame();
}

/** The element(s) `target` names; throws a plain Error saying what is wrong (the caller names the step). */
export function locate(scope: LocatorScope, target: string): Locator {
  const parts = target.split(/\s+>>\s+/).map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new Error(`the locator "${target}" has an empty part`);
  let current = scope;
  for (const part of parts) current = segment(current, part);
  if (parts[parts.length - 1].startsWith('frame=')) {
    throw new Error(`the locator "${target}" ends in a frame; add " >> " and what to find inside it`);
  }
  return current as Locator;
}
