// The Browser node with Engine "Puppeteer" against the real local website in the provisioned Chromium: the key cases
// of ../run.test.ts (login, a table across pages, a script-built list, an iframe, a refused host, a missing
// element, a crash), run through the node's own runner so the engine switch is exercised too.
import { randomUUID } from 'node:crypto';
import { startBrowserSite, type BrowserSite } from '../../../test/browser-site/server';
import type { RunContext, RunFiles } from '../../define';
import { ALLOW_HOSTS_ENV } from '../../http-request/address-policy';
import { makeRunContext } from '../../testing';
import { run, type StepRecord } from '../run';
import type { BrowserStep } from '../spec';
import { closePuppeteerPool, pooledPuppeteer } from './pool';

let site: BrowserSite;
const allowBefore = process.env[ALLOW_HOSTS_ENV];

beforeAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = '127.0.0.1'; // the site is on loopback, which the guard refuses by default
  site = await startBrowserSite();
}, 60_000);
afterAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = allowBefore;
  await closePuppeteerPool();
  await site?.close();
});

function memoryFiles() {
  const saved: Array<{ name: string; mimeType: string; data: Buffer }> = [];
  const files: RunFiles = {
    save: async (file) => {
      saved.push(file);
      return {
        $batonFile: `f${saved.length}`,
        name: file.name,
        mimeType: file.mimeType,
        bytes: file.data.length,
        sig: 's',
      };
    },
    saveStream: () => Promise.reject(new Error('not used')),
    read: () => Promise.reject(new Error('not used')),
  };
  return { files, saved };
}

type Output = { data: Record<string, unknown>; steps: StepRecord[]; url: string; title: string };

async function browse(
  steps: BrowserStep[],
  extra: Record<string, unknown> = {},
  files = memoryFiles(),
  context: Partial<RunContext> = {},
) {
  const params = { steps, stepTimeoutMs: 5_000, screenshots: 'none', engine: 'puppeteer', ...extra };
  const ctx = makeRunContext({ files: files.files, idempotencyKey: randomUUID(), ...context });
  return (await run(ctx, params as Parameters<typeof run>[1], undefined)) as Output;
}

/** Resolves once the execution's page shows `path`, in a context of its own. */
async function pageOpenAt(path: string): Promise<void> {
  const browser = await pooledPuppeteer();
  for (;;) {
    const pages = await Promise.all(browser.browserContexts().map((c) => c.pages()));
    if (pages.flat().some((p) => p.url().endsWith(path))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('signs in through the form once and extracts the welcome text', async () => {
  const key = randomUUID();
  const out = await browse(
    [
      { action: 'goto', target: `${site.url}/login` },
      { action: 'fill', target: 'label=Email', value: 'ada@example.com' },
      { action: 'fill', target: 'label=Password', value: 'analytical' },
      { action: 'click', target: 'role=button[name="Sign in"]' },
      { action: 'extractText', target: 'h1', name: 'greeting' },
    ],
    {},
    undefined,
    { idempotencyKey: key },
  );
  expect(out.data).toEqual({ greeting: 'Welcome, Ada' });
  expect(out.title).toBe('Welcome');
  expect(site.submissions(key)).toBe(1);
  expect(out.steps.map((s) => [s.index, s.action, s.ok])).toEqual([
    [1, 'goto', true],
    [2, 'fill', true],
    [3, 'fill', true],
    [4, 'click', true],
    [5, 'extractText', true],
  ]);
  expect(JSON.stringify(out.steps)).not.toContain('analytical');
});

it('sends the key on cross-origin requests too, without breaking a site whose CORS does not allow the header', async () => {
  const key = randomUUID();
  const out = await browse(
    [
      { action: 'goto', target: `${site.url}/cors` },
      { action: 'assert', target: '#echo', value: 'key' },
      { action: 'extractText', target: '#echo', name: 'echo' },
    ],
    {},
    undefined,
    { idempotencyKey: key },
  );
  expect(out.data.echo).toBe(`key ${key}`);
});

it('extracts a table across both of its pages as exact JSON', async () => {
  const out = await browse([
    { action: 'goto', target: `${site.url}/people` },
    { action: 'extractTable', target: '#people', name: 'people' },
    { action: 'click', target: 'text=Next' },
    { action: 'assert', target: 'text=Last page' },
    { action: 'extractTable', target: '#people', name: 'people' },
  ]);
  expect(out.data.people).toEqual([
    { Name: 'Ada Lovelace', Team: 'Engineering', Born: '1815' },
    { Name: 'Grace Hopper', Team: 'Navy', Born: '1906' },
    { Name: 'Alan Turing', Team: 'Mathematics', Born: '1912' },
    { Name: 'Katherine Johnson', Team: 'NASA', Born: '1918' },
  ]);
  expect(out.url).toBe(`${site.url}/people?page=2`);
});

it('maps a list a script builds after load to objects with extractMany', async () => {
  const out = await browse([
    { action: 'goto', target: `${site.url}/dynamic` },
    {
      action: 'extractMany',
      target: 'li.product',
      value: '{"name": ".name", "price": ".price", "link": ".name @href"}',
      name: 'products',
    },
  ]);
  expect(out.data.products).toEqual([
    { name: 'Lamp', price: '12.50', link: '/p/lamp' },
    { name: 'Desk', price: '120.00', link: '/p/desk' },
    { name: 'Chair', price: '45.00', link: '/p/chair' },
  ]);
});

it('reads inside an iframe and extracts an attribute', async () => {
  const out = await browse([
    { action: 'goto', target: `${site.url}/frame` },
    { action: 'extractText', target: 'frame=#embed >> testid=inner', name: 'inner' },
    { action: 'goto', target: `${site.url}/download` },
    { action: 'extractAttribute', target: 'text=Download CSV', value: 'href', name: 'csv' },
  ]);
  expect(out.data).toEqual({ inner: 'Inside the frame', csv: '/people.csv' });
});

it('refuses a host outside Allowed domains and names the step and the host', async () => {
  await expect(
    browse([{ action: 'goto', target: `${site.url}/people` }], { allowedDomains: 'example.com' }),
  ).rejects.toMatchObject({
    code: 'browser-step',
    message: expect.stringMatching(
      /^Step 1 \(goto http:\/\/127\.0\.0\.1:\d+\/people\): request blocked: host 127\.0\.0\.1 is not in Allowed domains/,
    ),
  });
});

it('sends loopback through the guard too: refused unless the administrator allows it', async () => {
  process.env[ALLOW_HOSTS_ENV] = '';
  try {
    await expect(browse([{ action: 'goto', target: `${site.url}/people` }])).rejects.toThrow(
      /^Step 1 \(goto .*\): request blocked: host 127\.0\.0\.1 is a loopback address/,
    );
  } finally {
    process.env[ALLOW_HOSTS_ENV] = '127.0.0.1';
  }
});

it('fails a step whose element never appears, naming the step, with a failure screenshot', async () => {
  const files = memoryFiles();
  const failing = browse(
    [
      { action: 'goto', target: `${site.url}/people` },
      { action: 'click', target: 'role=button[name="Sign in"]' },
    ],
    { stepTimeoutMs: 2_000, screenshots: 'failure' },
    files,
  );
  await expect(failing).rejects.toMatchObject({
    code: 'browser-step',
    retryable: false,
    message: 'Step 2 (click role=button[name="Sign in"]): Timeout 2000ms exceeded',
  });
  expect(files.saved.map((f) => f.name)).toEqual(['step-2-failure.png']);
  expect(files.saved[0].data.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
});

it('stores a screenshot and a PDF of the page as files and outputs their references', async () => {
  const files = memoryFiles();
  const out = await browse(
    [
      { action: 'goto', target: `${site.url}/people` },
      { action: 'screenshot', target: '#people', name: 'table' },
      { action: 'pdf', name: 'page' },
    ],
    {},
    files,
  );
  expect(out.data).toEqual({
    table: expect.objectContaining({ name: 'step-2.png', mimeType: 'image/png' }),
    page: expect.objectContaining({ name: 'step-3.pdf', mimeType: 'application/pdf' }),
  });
  expect(out.steps[1].screenshot).toEqual(out.data.table);
  expect(files.saved[0].data.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  expect(files.saved[1].data.subarray(0, 5).toString()).toBe('%PDF-');
});

it('fails a locator that matches several elements, as Playwright’s strict locators do', async () => {
  await expect(
    browse([
      { action: 'goto', target: `${site.url}/people` },
      { action: 'extractText', target: 'td' },
    ]),
  ).rejects.toMatchObject({
    message: 'Step 2 (extractText td): the locator matches 6 elements; make it name one',
    details: {
      steps: [expect.objectContaining({ index: 1, ok: true }), expect.objectContaining({ index: 2, ok: false })],
    },
  });
});

it('refuses a step the engine does not run yet, naming it', async () => {
  await expect(
    browse([
      { action: 'goto', target: `${site.url}/popup` },
      { action: 'switchPage', target: 'popup' },
    ]),
  ).rejects.toThrow(
    'Step 2 (switchPage popup): the Puppeteer engine does not run "switchPage" steps; choose the Playwright engine',
  );
});

it('names the step whose locator Puppeteer cannot express', async () => {
  await expect(
    browse([
      { action: 'goto', target: `${site.url}/people` },
      { action: 'click', target: 'role=heading[level=1]' },
    ]),
  ).rejects.toThrow(
    'Step 2 (click role=heading[level=1]): the Puppeteer engine supports only [name="…"] on role= locators, not [level…]',
  );
});

it('closes the context when the run is cancelled mid-step', async () => {
  const abort = new AbortController();
  const running = browse(
    [
      { action: 'goto', target: `${site.url}/people` },
      { action: 'waitFor', target: '#never' },
    ],
    { stepTimeoutMs: 30_000 },
    undefined,
    { signal: abort.signal },
  );
  await pageOpenAt('/people');
  abort.abort();
  await expect(running).rejects.toThrow();
  expect((await pooledPuppeteer()).browserContexts()).toHaveLength(1); // the browser's default context only
});

it('reports a browser killed mid-step as retryable, and launches a new one for the next run', async () => {
  const browser = await pooledPuppeteer();
  const failure = browse([
    { action: 'goto', target: `${site.url}/people` },
    { action: 'waitFor', target: '#never' },
  ]).then(
    () => undefined,
    (err: unknown) => err, // caught at once: it rejects while the test is still killing the browser
  );
  await pageOpenAt('/people');
  browser.process()!.kill('SIGKILL');
  expect(await failure).toMatchObject({
    code: 'browser-crashed',
    retryable: true,
    message: expect.stringMatching(/^Step \d \((goto|waitFor) .*\): the browser crashed or was closed/),
  });
  const out = await browse([{ action: 'goto', target: `${site.url}/people` }]);
  expect(out.title).toBe('People 1');
  expect(await pooledPuppeteer()).not.toBe(browser);
});
