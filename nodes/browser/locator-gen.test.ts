// The recorder's locator generator in real Chromium: for small pages, the locator it picks for an element is the
// kind it should prefer, and nodes/browser/locators.ts (what runs use) resolves it to exactly that one element.
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from './chromium-launch';
import { generateLocator, type LocatorPurpose } from './locator-gen';
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
