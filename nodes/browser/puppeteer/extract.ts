// Extractions with Puppeteer, the same JSON as ../extract.ts gives: a table into row objects keyed by header text,
// and repeated elements into objects whose fields come from locators relative to each element.
import type { ElementHandle } from 'puppeteer-core';
import { tableRowsInPage } from '../table-rows';
import { translateLocator } from './locators';
import { innerText, withinTimeout, type Target } from './target';

/** Rows of the table, keyed by its header cells' text (th in thead, else the first row). */
export function extractTable(table: ElementHandle<Element>): Promise<Array<Record<string, string>>> {
  return table.evaluate(tableRowsInPage);
}

interface Field {
  name: string;
  /** The selector inside each item; undefined for the item itself. */
  selector?: string;
  attribute?: string;
}

/** A field's `locator @attr`, `@attr` or `locator`, translated once for every item. */
function parseField(name: string, spec: string): Field {
  const [, where, attribute] = /^(.*?)(?:(?:^|\s+)@([\w:-]*))?$/s.exec(spec.trim())!;
  if (where === '') return { name, attribute };
  const { frames, selector } = translateLocator(where);
  if (frames.length > 0) throw new Error(`field "${name}" of Value cannot enter a frame`);
  return { name, selector, attribute };
}

/** One object per element the target matches; a field is null when its locator finds nothing in the element. */
export async function extractMany(
  target: Target,
  fields: Record<string, string>,
): Promise<Array<Record<string, string | null>>> {
  const parsed = Object.entries(fields).map(([name, spec]) => parseField(name, spec));
  const { frame, selector } = await target.frame();
  const first = await withinTimeout(frame.waitForSelector(selector, { timeout: target.left() }), target.timeout);
  await first?.dispose();
  const rows: Array<Record<string, string | null>> = [];
  for (const item of await frame.$$(selector)) {
    const row: Record<string, string | null> = {};
    for (const field of parsed) {
      const element = field.selector ? await item.$(field.selector) : item;
      if (!element) row[field.name] = null;
      else if (field.attribute)
        row[field.name] = await element.evaluate((el, a) => el.getAttribute(a), field.attribute);
      else row[field.name] = await innerText(element);
      if (element !== item) await element?.dispose();
    }
    rows.push(row);
    await item.dispose();
  }
  return rows;
}
