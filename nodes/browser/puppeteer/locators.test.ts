// Baton locators → Puppeteer selectors: each kind, chains (each part inside every match of the one before, `:scope`
// that match), frames, locators inside an element (extractMany's fields), and the ones Puppeteer cannot express.
import { translateLocator } from './locators';

it.each([
  ['#people', '#people'],
  ['css=li.product', 'li.product'],
  ['text=Next', '::-p-batontext("~Next")'],
  ['text="Last page"', '::-p-batontext("=Last page")'],
  ['"Last page"', '::-p-batontext("=Last page")'],
  ['label=Email', '::-p-batonlabel("~Email")'],
  ['testid=inner', '[data-testid="inner"]'],
  ['placeholder=Search', '[placeholder*="Search" i]'],
  ['placeholder="Search the shop"', '[placeholder="Search the shop"]'],
  ['xpath=//h1', '::-p-xpath("//h1")'],
  ['//h1', '::-p-xpath("//h1")'],
  ['#people >> xpath=//td', '::-p-batoncss("#people")::-p-xpath(".//td")'],
  ['#list >> text=Lamp', '::-p-batoncss("#list")::-p-batontext("~Lamp")'],
  ['tbody >> :scope > tr', '::-p-batoncss("tbody")::-p-batoncss(":scope > tr")'],
  ['h2, h3 >> testid=x', '::-p-batoncss("h2, h3")::-p-batoncss("[data-testid=\\"x\\"]")'],
  ['text=Lamp >> .price', '::-p-batontext("~Lamp")::-p-batoncss(".price")'],
])('%s → %s', (locator, selector) => {
  expect(translateLocator(locator)).toEqual({ frames: [], selector });
});

const role = (query: object) => `::-p-batonrole(${JSON.stringify(JSON.stringify(query))})`;

it.each([
  ['role=button', { role: 'button' }],
  ['role=button[name="Sign in"]', { role: 'button', name: { op: '=', value: 'Sign in', caseSensitive: true } }],
  ['role=button[name="sign in" i]', { role: 'button', name: { op: '=', value: 'sign in', caseSensitive: false } }],
  ['role=button[name="Sign in"s]', { role: 'button', name: { op: '=', value: 'Sign in', caseSensitive: true } }],
  ['role=link[name*=\'Say "hi"\' i]', { role: 'link', name: { op: '*=', value: 'Say "hi"', caseSensitive: false } }],
  ['role=Button[name=Go]', { role: 'button', name: { op: '=', value: 'Go', caseSensitive: true } }],
  ['role=button[name=/sign\\s+in/i]', { role: 'button', name: { regex: 'sign\\s+in', flags: 'i' } }],
])('%s → the role engine', (locator, query) => {
  expect(translateLocator(locator)).toEqual({ frames: [], selector: role(query) });
});

it('enters each frame= with a selector of its own, and keeps the part the user wrote for messages', () => {
  expect(translateLocator('#wrap >> frame=#outer >> frame=iframe.inner >> testid=inner')).toEqual({
    frames: [
      { part: 'frame=#outer', selector: '::-p-batoncss("#wrap")::-p-batoncss("#outer")' },
      { part: 'frame=iframe.inner', selector: 'iframe.inner' },
    ],
    selector: '[data-testid="inner"]',
  });
});

it.each([
  [':scope > td:nth-of-type(2)', { frames: [], selector: '::-p-batoncss(":scope > td:nth-of-type(2)")' }],
  ['//a', { frames: [], selector: '::-p-xpath(".//a")' }],
  [
    'frame=iframe.price >> p',
    { frames: [{ part: 'frame=iframe.price', selector: '::-p-batoncss("iframe.price")' }], selector: 'p' },
  ],
])('resolves %s inside an element, its first part relative to it', (locator, expected) => {
  expect(translateLocator(locator, { inElement: true })).toEqual(expected);
});

it('turns line breaks in a P-selector argument into spaces (Puppeteer ends a quoted argument at one)', () => {
  expect(translateLocator('#a >> li,\nli.b').selector).toBe('::-p-batoncss("#a")::-p-batoncss("li, li.b")');
});

it.each([
  ['role=heading[level=1]', 'supports only [name="…"] on role= locators, not [level…]'],
  ['role=button[name*=/sign/]', 'a regular expression name takes "=", not "*="'],
  ['nth=0', 'has no nth= locators'],
  ['li:has-text("Lamp")', "cannot use Playwright's :has-text in CSS"],
  ['frame=#embed', 'ends in a frame'],
  ['#a >> ', 'has an empty part'],
])('refuses %s', (locator, message) => {
  expect(() => translateLocator(locator)).toThrow(message);
});
