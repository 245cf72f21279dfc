// Extractions with Puppeteer, the same JSON as ../extract.ts gives: a table into row objects keyed by header text,
// and repeated elements into objects whose fields come from locators relative to each element (`:scope > td`, and
// frame= parts that enter an iframe inside the element, as Playwright reads them).
import type { ElementHandle, Frame } from 'puppeteer-core';
import { tableRowsInPage } from '../table-rows';
import { translateLocator, type FrameHop } from './locators';
import { innerText, withinTimeout, type Target } from './target';

/** Rows of the table, keyed by its header cells' text (th in thead, else the first row). */
export function extractTable(table: ElementHandle<Element>): Promise<Array<Record<string, string>>> {
  return table.evaluate(tableRowsInPage);
}

interface Field {
  name: string;
  /** Where the field is inside each item; undefined for the item itself. */
  where?: { frames: FrameHop[]; selector: string };
  attribute?: string;
}

/** A field's `locator @attr`, `@attr` or `locator`, translated once for every item. */
function parseField(name: string, spec: string): Field {
  const [, where, attribute] = /^(.*?)(?:(?:^|\s+)@([\w:-]*))?$/s.exec(spec.trim())!;
  if (where === '') return { name, attribute };
  try {
    return { name, where: translateLocator(where, { inElement: true }), attribute };
  } catch (err) {
    throw new Error(`field "${name}" of Value: ${(err as Error).message}`);
  }
}

/** The field's first match inside `item` (null when there is none), entering its frames without waiting. */
async function fieldElement(
  item: ElementHandle<Element>,
  where: NonNullable<Field['where']>,
): Promise<ElementHandle<Element> | null> {
  let scope: ElementHandle<Element> | Frame = item;
  for (const hop of where.frames) {
    const element: ElementHandle<Element> | null = await scope.$(hop.selector);
    const inner: Frame | null | undefined = await element?.contentFrame();
    await element?.dispose();
    if (!inner) return null;
    scope = inner;
  }
  return scope.$(where.selector);
}

/** One field's value in one item: its attribute or rendered text, null when its locator finds nothing. */
async function fieldValue(item: ElementHandle<Element>, field: Field): Promise<string | null> {
  const element = field.where ? await fieldElement(item, field.where) : item;
  if (!element) return null;
  try {
    if (field.attribute) return await element.evaluate((el, a) => el.getAttribute(a), field.attribute);
    return await innerText(element);
  } finally {
    if (element !== item) await element.dispose();
  }
}

/** One object per element the target matches; a field is null when its locator finds nothing in the element. */
export async function extractMany(
  target: Target,
  fields: Record<string, string>,
): Promise<Array<Record<string, string | null>>> {
  const parsed = Object.entries(fields).map(([name, spec]) => parseField(name, spec));
  return target.acrossNavigations(async () => {
    const { frame, selector } = await target.frame();
    const first = await withinTimeout(frame.waitForSelector(selector, { timeout: target.left() }), target.timeout);
    await first?.dispose();
    const items = await frame.$$(selector);
    try {
      const rows: Array<Record<string, string | null>> = [];
      for (const item of items) {
        const row: Record<string, string | null> = {};
        for (const field of parsed) row[field.name] = await fieldValue(item, field);
        rows.push(row);
      }
      return rows;
    } finally {
      await Promise.all(items.map((item) => item.dispose().catch(() => undefined)));
    }
  });
}
