// Baton locators → Puppeteer selectors: each kind, chains and frames, and the ones Puppeteer cannot express.
import { translateLocator } from './locators';

it.each([
  ['#people', '#people'],
  ['css=li.product', 'li.product'],
  ['role=button', '::-p-aria("[role=\\"button\\"]")'],
  ['role=button[name="Sign in"]', '::-p-aria("[role=\\"button\\"][name=\\"Sign in\\"]")'],
  ['role=link[name=\'Say "hi"\']', '::-p-aria("[role=\\"link\\"][name=\'Say \\"hi\\"\']")'],
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

it('enters each frame= with a selector of its own', () => {
  expect(translateLocator('#wrap >> frame=#outer >> frame=iframe.inner >> testid=inner')).toEqual({
    frames: ['#wrap #outer', 'iframe.inner'],
    selector: '[data-testid="inner"]',
  });
});

it.each([
  ['role=heading[level=1]', 'supports only [name="…"] on role= locators, not [level…]'],
  ['role=button[name=/sign/i]', 'supports only [name="…"] on role= locators'],
  ['nth=0', 'has no nth= locators'],
  ['li:has-text("Lamp")', "cannot use Playwright's :has-text in CSS"],
  ['frame=#embed', 'ends in a frame'],
  ['#a >> ', 'has an empty part'],
])('refuses %s', (locator, message) => {
  expect(() => translateLocator(locator)).toThrow(message);
});
