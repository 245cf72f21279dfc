// Extractions that turn page structure into JSON: a table into row objects keyed by header text, and repeated
// elements into objects whose fields come from locators relative to each element.
import type { Locator } from 'playwright-core';
import { locate } from './locators';

/** Rows of the table `table` points at, keyed by its header cells' text (th in thead, else the first row). */
export async function extractTable(table: Locator, timeout: number): Promise<Array<Record<string, string>>> {
  // Runs in the page: no named inner functions, which the test loader's transpiler would wrap in a helper the page
  // does not have.
  return table.evaluate(
    (el) => {
      const rows = Array.from(el.querySelectorAll('tr'))
        .filter((tr) => tr.closest('table') === el)
        .map((tr) => ({
          inHead: tr.parentElement?.tagName === 'THEAD',
          hasData: tr.querySelector('td') !== null,
          cells: Array.from(tr.children).map((cell) => (cell as HTMLElement).innerText.replace(/\s+/g, ' ').trim()),
        }));
      const headIndex = Math.max(
        0,
        rows.findIndex((row) => row.inHead),
      );
      if (!rows[headIndex]) return [];
      const headers = rows[headIndex].cells.map((text, i) => text || `column${i + 1}`);
      return rows
        .filter((row, i) => i !== headIndex && row.hasData)
        .map((row) => Object.fromEntries(row.cells.map((text, i) => [headers[i] ?? `column${i + 1}`, text])));
    },
    undefined,
    { timeout },
  );
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
