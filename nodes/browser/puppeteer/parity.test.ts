// The same steps on both engines give the same `data`: the local test website's login, table pages, script-built
// list and iframe, a form page (served here) that uses every other action and locator kind, and role= locators
// matched by name the way Playwright's role engine matches them.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBrowserSite, type BrowserSite } from '../../../test/browser-site/server';
import { ALLOW_HOSTS_ENV } from '../../http-request/address-policy';
import { makeRunContext } from '../../testing';
import { closeBrowserPool } from '../pool';
import { run } from '../run';
import type { BrowserStep } from '../spec';
import { closePuppeteerPool } from './pool';

const FORM = `<!doctype html><html><head><meta charset="utf-8"><title>Order</title></head><body>
<form id="order">
  <label for="name">Full name</label> <input id="name">
  <input id="q" aria-label="Search" placeholder="Search the shop">
  <select id="size"><option value="s">Small</option><option value="l">Large</option></select>
  <label><input type="checkbox" id="news" checked> Newsletter</label>
  <label><input type="checkbox" id="terms"> Terms</label>
  <button type="button" id="hover-me">Hover me</button> <span id="hovered">no</span>
  <button type="submit">Send order</button>
</form>
<p id="hidden" style="display:none">not shown</p>
<p id="out"></p>
<script>
  document.getElementById('hover-me').addEventListener('mouseenter', () => {
    document.getElementById('hovered').textContent = 'yes';
  });
  document.getElementById('order').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = (id) => document.getElementById(id).value;
    const checked = (id) => document.getElementById(id).checked;
    document.getElementById('out').textContent =
      [value('name'), value('q'), value('size'), checked('news'), checked('terms')].join(' | ');
  });
</script></body></html>`;

const ROLES = `<!doctype html><html><head><meta charset="utf-8"><title>Roles</title></head><body>
<h2 id="title">Big  Title</h2>
<button id="sign">Sign in now</button> <button id="say">  Say   "hi"  </button>
<button id="hidden" style="display:none">Sign in later</button>
<label><input type="checkbox" id="terms"> Terms</label>
<img id="logo" alt="Company logo" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
</body></html>`;

let site: BrowserSite;
let form: Server;
let formUrl: string;
const allowBefore = process.env[ALLOW_HOSTS_ENV];

beforeAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = '127.0.0.1';
  site = await startBrowserSite();
  form = createServer((req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(req.url === '/roles' ? ROLES : FORM),
  );
  await new Promise<void>((resolve) => form.listen(0, '127.0.0.1', resolve));
  formUrl = `http://127.0.0.1:${(form.address() as AddressInfo).port}/order`;
}, 60_000);
afterAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = allowBefore;
  await Promise.all([closeBrowserPool(), closePuppeteerPool()]);
  await site?.close();
  await new Promise((resolve) => form?.close(resolve));
});

async function dataOf(engine: 'playwright' | 'puppeteer', steps: BrowserStep[]) {
  const params = { steps, stepTimeoutMs: 5_000, screenshots: 'none', engine } as Parameters<typeof run>[1];
  const out = (await run(makeRunContext({ idempotencyKey: randomUUID() }), params, undefined)) as {
    data: Record<string, unknown>;
  };
  return out.data;
}

async function bothEngines(steps: BrowserStep[]) {
  const [playwright, puppeteer] = [await dataOf('playwright', steps), await dataOf('puppeteer', steps)];
  expect(puppeteer).toEqual(playwright);
  return puppeteer;
}

it('gives the same data for the test website: login, table pages, script-built list, iframe', async () => {
  const data = await bothEngines([
    { action: 'goto', target: `${site.url}/login` },
    { action: 'fill', target: 'label=Email', value: 'ada@example.com' },
    { action: 'fill', target: 'label=Password', value: 'analytical' },
    { action: 'click', target: 'role=button[name="Sign in"]' },
    { action: 'extractText', target: 'h1', name: 'greeting' },
    { action: 'goto', target: `${site.url}/people` },
    { action: 'extractTable', target: '#people', name: 'people' },
    { action: 'click', target: 'text=Next' },
    { action: 'assert', target: 'text="Last page"' },
    { action: 'extractTable', target: 'xpath=//table', name: 'people' },
    { action: 'goto', target: `${site.url}/dynamic` },
    { action: 'extractMany', target: 'li.product', value: { name: '.name', link: '.name @href' }, name: 'products' },
    { action: 'goto', target: `${site.url}/frame` },
    { action: 'extractText', target: 'frame=#embed >> testid=inner', name: 'inner' },
    { action: 'extractText', target: 'frame=#embed >> text=inside THE', name: 'byText' },
  ]);
  expect(data.greeting).toBe('Welcome, Ada');
  expect(data.people).toHaveLength(4);
  expect(data.products).toEqual([
    { name: 'Lamp', link: '/p/lamp' },
    { name: 'Desk', link: '/p/desk' },
    { name: 'Chair', link: '/p/chair' },
  ]);
  expect(data.inner).toBe('Inside the frame');
  expect(data.byText).toBe('Inside the frame');
});

it('gives the same data for a form driven by every other action', async () => {
  const data = await bothEngines([
    { action: 'goto', target: formUrl },
    { action: 'fill', target: 'label=Full name', value: 'Ada Lovelace' },
    { action: 'type', target: 'placeholder=search the', value: 'lamp' },
    { action: 'select', target: 'css=#size', value: 'Large' },
    { action: 'check', target: 'role=checkbox[name="Terms"]' },
    { action: 'uncheck', target: 'label=Newsletter' },
    { action: 'hover', target: 'text="Hover me"' },
    { action: 'assert', target: '#hovered', value: 'yes' },
    { action: 'waitFor', target: '#hidden', value: 'hidden' },
    { action: 'waitFor', target: '#never', value: 'detached' },
    { action: 'press', target: 'label=Search', value: 'Enter' },
    { action: 'assert', target: '#out', value: 'Ada' },
    { action: 'extractText', target: '#out', name: 'order' },
    { action: 'extractAttribute', target: '//input[@aria-label="Search"]', value: 'placeholder', name: 'hint' },
    { action: 'waitForUrl', target: '**/order' },
    { action: 'assertUrl', value: '/order' },
    { action: 'waitForNetworkIdle' },
    { action: 'evaluate', value: 'document.title', name: 'title' },
    { action: 'evaluate', value: 'const rows = [1, 2];\nreturn { rows, total: rows.length };', name: 'script' },
  ]);
  expect(data).toEqual({
    order: 'Ada Lovelace | lamp | l | false | true',
    hint: 'Search the shop',
    title: 'Order',
    script: { rows: [1, 2], total: 2 },
  });
});

it('matches role= names as Playwright does: whole name, case-sensitive unless i, whitespace collapsed, or by part', async () => {
  const rolesUrl = formUrl.replace('/order', '/roles');
  const id = (target: string, name: string): BrowserStep => ({
    action: 'extractAttribute',
    target,
    value: 'id',
    name,
  });
  const absent = (target: string): BrowserStep => ({ action: 'waitFor', target, value: 'detached' });
  const data = await bothEngines([
    { action: 'goto', target: rolesUrl },
    id('role=button[name="Sign in now"]', 'exact'),
    id('role=button[name="sign IN now" i]', 'ignoringCase'),
    id('role=button[name="Sign in now" s]', 'caseSensitive'),
    id('role=button[name="  Sign   in  now "]', 'whitespace'),
    id('role=button[name=\'Say "hi"\']', 'quotes'),
    id('role=button[name*="in no"]', 'part'),
    id('role=button[name^="say" i]', 'prefix'),
    id('role=button[name=/^sign\\s+in/i]', 'regex'),
    id('role=heading[name="big title" i]', 'heading'),
    id('role=checkbox[name="Terms"]', 'checkbox'),
    id('role=img[name="Company logo"]', 'image'),
    id('role=BUTTON[name="Sign in now"]', 'upperRole'),
    // Not matched by either engine: a part without *=, another case without i, a button hidden from everyone.
    absent('role=button[name="Sign in"]'),
    absent('role=button[name="sign in now"]'),
    absent('role=button[name="Sign in later"]'),
  ]);
  expect(data).toEqual({
    exact: 'sign',
    ignoringCase: 'sign',
    caseSensitive: 'sign',
    whitespace: 'sign',
    quotes: 'say',
    part: 'sign',
    prefix: 'say',
    regex: 'sign',
    heading: 'title',
    checkbox: 'terms',
    image: 'logo',
    upperRole: 'sign',
  });
});
