// The recorder's locator generator in real Chromium: for small pages, the locator it picks for an element is the
// kind it should prefer, and nodes/browser/locators.ts (what runs use) resolves it to exactly that one element. The
// list proposal (locator-gen-list.ts) for a picked row or card extracts every item through extract.ts.
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from './chromium-launch';
import { extractMany } from './extract';
import { generateLocator, type LocatorPurpose } from './locator-gen';
import { proposeList, type ListProposal } from './locator-gen-list';
import { locate } from './locators';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
  page = await browser.newPage();
}, 60_000);
afterAll(() => browser?.close());

/** The locator generated for the element `selector` finds, checked to resolve to that element alone. */
async function locatorFor(selector: string, purpose: LocatorPurpose = 'action'): Promise<string> {
  const generated = await page.evaluate(
    `(${generateLocator.toString()})(document.querySelector(${JSON.stringify(selector)}), ${JSON.stringify(purpose)})`,
  );
  const locator = String(generated);
  const found = locate(page, locator);
  expect({ locator, count: await found.count() }).toEqual({ locator, count: 1 });
  const same = await found.evaluate((el, sel) => el === document.querySelector(sel), selector);
  expect({ locator, same }).toEqual({ locator, same: true });
  return locator;
}

test('a test id comes first, even on a button with a name', async () => {
  await page.setContent(`<button data-testid="save-draft">Save</button><button>Save</button>`);
  expect(await locatorFor('button')).toBe('testid=save-draft');
});

test('buttons and links are named by role and accessible name; a duplicate name falls through', async () => {
  await page.setContent(`
    <form><button type="submit">Sign in</button></form>
    <a href="/help">Help</a><a href="/help2">Help</a>
    <button aria-label="Close dialog">×</button>
    <input type="submit" value="Send it">`);
  expect(await locatorFor('button[type=submit]')).toBe('role=button[name="Sign in"]');
  expect(await locatorFor('button[aria-label]')).toBe('role=button[name="Close dialog"]');
  expect(await locatorFor('input[type=submit]')).toBe('role=button[name="Send it"]');
  // Two links named Help: neither role nor text is unique, so a CSS path tells them apart.
  const second = await locatorFor('a[href="/help2"]');
  expect(second).not.toMatch(/^(role|text)=/);
});

test('a name with quotes is escaped the way the role engine reads it', async () => {
  await page.setContent(`<button>Say "hi"</button>`);
  expect(await locatorFor('button')).toBe('role=button[name="Say \\"hi\\""]');
});

test('form fields: label first (password fields too), then placeholder', async () => {
  await page.setContent(`
    <label>Email <input name="email" type="email"></label>
    <label>Password <input name="password" type="password"></label>
    <label for="c">Country</label><select id="c"><option>France</option><option>Peru</option></select>
    <input name="q" placeholder="Search people">
    <label><input type="checkbox" name="remember"> Remember me</label>`);
  expect(await locatorFor('input[name=email]')).toBe('label="Email"');
  expect(await locatorFor('input[name=password]')).toBe('label="Password"');
  expect(await locatorFor('select')).toBe('label="Country"');
  expect(await locatorFor('input[name=q]')).toBe('placeholder="Search people"');
  expect(await locatorFor('input[type=checkbox]')).toBe('role=checkbox[name="Remember me"]');
});

test('short unique text for other clicks; repeated text gets a CSS path', async () => {
  await page.setContent(`
    <div class="card"><span class="title">Quarterly report</span></div>
    <ul><li>Item</li><li>Item</li></ul>`);
  expect(await locatorFor('span.title')).toBe('text="Quarterly report"');
  const second = await locatorFor('li:nth-child(2)');
  expect(second).toBe('ul > li:nth-of-type(2)');
});

test('extraction targets are never named by their own text, which is the data', async () => {
  await page.setContent(`<main><h1>Welcome, Ada</h1><p class="balance">42 €</p><p>Other</p></main>`);
  expect(await locatorFor('h1', 'extract')).toBe('h1');
  expect(await locatorFor('p.balance', 'extract')).toBe('p.balance');
  expect(await locatorFor('h1', 'action')).toBe('role=heading[name="Welcome, Ada"]');
});

test('generated ids and classes are skipped; the path is as short as stays unique', async () => {
  await page.setContent(`
    <section id="people"><div class="css-1x2y"><span>A</span><span>B</span></div></section>
    <section id="r-123"><div><span>A</span></div></section>`);
  const locator = await locatorFor('#people span:nth-child(2)', 'extract');
  expect(locator).toBe('div > span:nth-of-type(2)');
  const generated = await locatorFor('#r-123 span', 'extract');
  expect(generated).not.toContain('r-123');
});

test('hidden elements with the same name do not make a visible one ambiguous to the generator', async () => {
  await page.setContent(`<button style="display:none">Next</button><button>Next</button>`);
  expect(await locatorFor('button:nth-of-type(2)')).toBe('role=button[name="Next"]');
});

test('an iframe is named in plain CSS a frame= segment can hold: its name or title, else its id or path', async () => {
  await page.setContent(`
    <iframe title="Sign in" srcdoc="<p>in</p>"></iframe><iframe name="pay" srcdoc="<p>in</p>"></iframe>
    <iframe id="embed" srcdoc="<p>in</p>"></iframe><div><iframe srcdoc="<p>in</p>"></iframe></div>`);
  expect(await locatorFor('iframe[title]', 'frame')).toBe('iframe[title="Sign in"]');
  expect(await locatorFor('iframe[name]', 'frame')).toBe('iframe[name="pay"]');
  expect(await locatorFor('#embed', 'frame')).toBe('#embed');
  expect(await locatorFor('div > iframe', 'frame')).toBe('div > iframe');
});

/** The list proposed for the element `selector` finds, and what extractMany returns for it on the page. */
async function listFor(selector: string) {
  const proposal = (await page.evaluate(
    `(${proposeList.toString()})(document.querySelector(${JSON.stringify(selector)}), ${generateLocator.toString()})`,
  )) as ListProposal;
  const extracted = await extractMany(locate(page, proposal.items), proposal.fields, 2_000);
  return { proposal, extracted };
}

test('a table row proposes every body row, with fields named by the column headers', async () => {
  await page.setContent(`
    <table id="people"><thead><tr><th>Name</th><th>Team</th><th>Born</th></tr></thead><tbody>
      <tr><td>Ada Lovelace</td><td>Engineering</td><td>1815</td></tr>
      <tr><td>Grace Hopper</td><td>Navy</td><td>1906</td></tr></tbody></table>`);
  const { proposal, extracted } = await listFor('tbody tr:nth-child(2) td:nth-child(2)');
  expect(proposal).toEqual({
    items: 'tbody >> :scope > tr',
    fields: {
      name: ':scope > td:nth-of-type(1)',
      team: ':scope > td:nth-of-type(2)',
      born: ':scope > td:nth-of-type(3)',
    },
    count: 2,
    sample: { name: 'Grace Hopper', team: 'Navy', born: '1906' },
  });
  expect(extracted).toEqual([
    { name: 'Ada Lovelace', team: 'Engineering', born: '1815' },
    { name: 'Grace Hopper', team: 'Navy', born: '1906' },
  ]);
});

test('a card proposes all its like siblings, with fields by class and links by address', async () => {
  await page.setContent(`
    <h2>Shop</h2>
    <section class="grid">
      <article class="card"><h3>Lamp</h3><p class="price">12.50</p><a class="more" href="/p/lamp">Details</a></article>
      <article class="card featured"><h3>Desk</h3><p class="price">120.00</p><a class="more" href="/p/desk">Details</a></article>
      <article class="card"><h3>Chair</h3><p class="price">45.00</p></article>
    </section>
    <aside class="card"><h3>Not a product</h3></aside>`);
  const { proposal, extracted } = await listFor('article.featured p.price');
  expect(proposal.items).toBe('section >> :scope > article.card');
  expect(proposal.fields).toEqual({ title: ':scope > h3', price: 'p.price', more: 'a.more', moreLink: 'a.more @href' });
  expect(proposal.sample).toEqual({ title: 'Desk', price: '120.00', more: 'Details', moreLink: '/p/desk' });
  expect(extracted).toEqual([
    { title: 'Lamp', price: '12.50', more: 'Details', moreLink: '/p/lamp' },
    { title: 'Desk', price: '120.00', more: 'Details', moreLink: '/p/desk' },
    { title: 'Chair', price: '45.00', more: null, moreLink: null },
  ]);
});

test('an element that repeats nowhere proposes no list', async () => {
  await page.setContent(`<main><h1>Welcome</h1><p>Only one</p></main>`);
  const proposal = await page.evaluate(
    `(${proposeList.toString()})(document.querySelector('h1'), ${generateLocator.toString()})`,
  );
  expect(proposal).toBeNull();
});
