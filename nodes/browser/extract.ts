// Extractions that turn page structure into JSON: a table into row objects keyed by header text, and repeated
// elements into objects whose fields come from locators relative to each element.
import type { Locator } from 'playwright-core';
import { locate } from './locators';
import { tableRowsInPage } from './table-rows';

/** Rows of the table `table` points at, keyed by its header cells' text (th in thead, else the first row). */
export async function extractTable(table: Locator, timeout: number): Promise<Array<Record<string, string>>> {
  return table.evaluate(tableRowsInPage, undefined, { timeout });
}

/** extractMany's field map: a JSON object (or its text) of field name → locator inside each element. */
export function fieldMap(value: unknown): Record<string, string> {
  let map = value;
  if (typeof value === 'string') {
    try {
      map = JSON.parse(value);
    } catch {
      throw new Error('Value must be a JSON object of field name → locator, such as {"name": ".name"}');
    }
  }
  if (typeof map !== 'object' || map === null || Array.isArray(map) || Object.keys(map).length === 0)
    throw new Error('Value must be a JSON object of field name → locator, such as {"name": ".name"}');
  for (const [field, locator] of Object.entries(map)) {
    if (typeof locator !== 'string' || locator.trim() === '')
      throw new Error(`field "${field}" of Value must be a locator string`);
  }
  return map as Record<string, string>;
}

/**
 * One object per element `items` matches, each field the text of the first match of its locator inside the element
 * (null when there is none). A locator followed by ` @attr` reads that attribute instead; `@attr` alone reads the element's own.
 */
export async function extractMany(
  items: Locator,
  fields: Record<string, string>,
  timeout: number,
): Promise<Array<Record<string, string | null>>> {
  await items.first().waitFor({ state: 'attached', timeout });
  const rows: Array<Record<string, string | null>> = [];
  for (const item of await items.all()) {
    const row: Record<string, string | null> = {};
    for (const [field, spec] of Object.entries(fields)) {
      const [, where, attribute] = /^(.*?)(?:(?:^|\s+)@([\w:-]*))?$/s.exec(spec.trim())!;
      const target = where === '' ? item : locate(item, where).first();
      if (where !== '' && (await target.count()) === 0) row[field] = null;
      else if (attribute) row[field] = await target.getAttribute(attribute, { timeout });
      else row[field] = (await target.innerText({ timeout })).replace(/\s+/g, ' ').trim();
    }
    rows.push(row);
  }
  return rows;
}
