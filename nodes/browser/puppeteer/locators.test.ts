// Baton locators → Puppeteer selectors: each kind, chains and frames, and the ones Puppeteer cannot express.
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
  ['#people >> xpath=//td', '#people ::-p-xpath(".//td")'],
  ['#list >> text=Lamp', '#list ::-p-batontext("~Lamp")'],
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

it('enters each frame= with a selector of its own', () => {
  expect(translateLocator('#wrap >> frame=#outer >> frame=iframe.inner >> testid=inner')).toEqual({
    frames: ['#wrap #outer', 'iframe.inner'],
    selector: '[data-testid="inner"]',
  });
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
