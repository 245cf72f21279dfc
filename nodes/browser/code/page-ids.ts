// The pages of a Browser code script by number: the script holds only ids (its `page` is 0), the worker holds the
// Playwright pages. A page crosses to the script as `{ $batonPage: id }`, which the bridge turns into a page object.
import type { Page } from 'playwright-core';

export class PageIds {
  private readonly byId: Page[] = [];

  constructor(first: Page) {
    this.byId.push(first);
  }

  /** The page's reference for the script, numbering it on first sight. */
  idOf(page: Page): { $batonPage: number } {
    let id = this.byId.indexOf(page);
    if (id === -1) id = this.byId.push(page) - 1;
    return { $batonPage: id };
  }

  /** The page with that id; a script can only name ids it was given. */
  page(id: number): Page {
    const page = Number.isInteger(id) ? this.byId[id] : undefined;
    if (!page) throw new Error(`there is no page ${id}`);
    return page;
  }
}
