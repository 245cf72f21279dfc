// The Browser runner against a real local website in the provisioned Chromium: logins, tables across pages, slow
// and script-built pages, iframes, refused hosts and missing elements. Files are kept in memory here; the
// workflow test stores them for real.
import { randomUUID } from 'node:crypto';
import type { FileRef } from '../../contracts/file-ref';
import { startBrowserSite, type BrowserSite } from '../../test/browser-site/server';
import type { RunFiles } from '../define';
import { ALLOW_HOSTS_ENV } from '../http-request/address-policy';
import { makeRunContext } from '../testing';
import { closeBrowserPool, pooledBrowser } from './pool';
import { run, type StepRecord } from './run';
import type { BrowserStep } from './spec';

let site: BrowserSite;
const allowBefore = process.env[ALLOW_HOSTS_ENV];

beforeAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = '127.0.0.1'; // the site is on loopback, which the guard refuses by default
  site = await startBrowserSite();
}, 60_000);
afterAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = allowBefore;
  await closeBrowserPool();
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

async function browse(steps: BrowserStep[], extra: Record<string, unknown> = {}, files = memoryFiles()) {
  const params = { steps, stepTimeoutMs: 5_000, screenshots: 'none', ...extra } as Parameters<typeof run>[1];
  return (await run(makeRunContext({ files: files.files }), params, undefined)) as Output;
}

it('signs in through the form once and extracts the welcome text', async () => {
  const key = randomUUID();
  const out = await browse([
    { action: 'goto', target: `${site.url}/login?key=${key}` },
    { action: 'fill', target: 'label=Email', value: 'ada@example.com' },
    { action: 'fill', target: 'label=Password', value: 'analytical' },
    { action: 'click', target: 'role=button[name="Sign in"]' },
    { action: 'extractText', target: 'h1', name: 'greeting' },
  ]);
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
  // Filled values (passwords) are never part of the step records.
  expect(JSON.stringify(out.steps)).not.toContain('analytical');
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

it('waits for content a slow page adds later', async () => {
  const out = await browse([
    { action: 'goto', target: `${site.url}/slow` },
    { action: 'waitFor', target: '#ready' },
    { action: 'extractText', target: '#ready', name: 'status' },
  ]);
  expect(out.data.status).toBe('Ready at last');
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

it('checks every redirect hop: a redirect to a host outside Allowed domains is refused', async () => {
  const elsewhere = site.url.replace('127.0.0.1', 'localhost');
  await expect(
    browse([{ action: 'goto', target: `${site.url}/redirect?to=${encodeURIComponent(`${elsewhere}/people`)}` }], {
      allowedDomains: '127.0.0.1',
    }),
  ).rejects.toThrow(/^Step 1 \(goto .*\): request blocked: host localhost is not in Allowed domains/);
});

it('refuses loopback unless the administrator allows it', async () => {
  process.env[ALLOW_HOSTS_ENV] = '';
  try {
    await expect(browse([{ action: 'goto', target: `${site.url}/people` }])).rejects.toThrow(
      /^Step 1 \(goto .*\): request blocked: host 127\.0\.0\.1 is a loopback address/,
    );
  } finally {
    process.env[ALLOW_HOSTS_ENV] = '127.0.0.1';
  }
});

it('fails a step whose element never appears within the step timeout, with a failure screenshot', async () => {
  const files = memoryFiles();
  const failing = browse(
    [
      { action: 'goto', target: `${site.url}/people` },
      { action: 'click', target: 'role=button[name="Sign in"]' },
    ],
    { stepTimeoutMs: 500, screenshots: 'failure' },
    files,
  );
  await expect(failing).rejects.toMatchObject({
    code: 'browser-step',
    message: expect.stringMatching(/^Step 2 \(click role=button\[name="Sign in"\]\): Timeout 500ms exceeded/),
  });
  expect(files.saved.map((f) => f.name)).toEqual(['step-2-failure.png']);
  // The pooled browser is still usable.
  const out = await browse([{ action: 'goto', target: `${site.url}/people` }]);
  expect(out.title).toBe('People 1');
});

it('stores a screenshot step as a PNG file and outputs its reference', async () => {
  const files = memoryFiles();
  const out = await browse(
    [
      { action: 'goto', target: `${site.url}/people` },
      { action: 'screenshot', target: '#people', name: 'table' },
    ],
    {},
    files,
  );
  const ref = out.data.table as FileRef;
  expect(ref).toMatchObject({ name: 'step-2.png', mimeType: 'image/png' });
  expect(out.steps[1].screenshot).toEqual(ref);
  expect(files.saved[0].data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
});

it('closes everything when the run is cancelled mid-step', async () => {
  const abort = new AbortController();
  const params = {
    steps: [
      { action: 'goto', target: `${site.url}/people` },
      { action: 'waitFor', target: '#never' },
    ],
    stepTimeoutMs: 30_000,
    screenshots: 'none',
  } as Parameters<typeof run>[1];
  const running = run(makeRunContext({ signal: abort.signal, files: memoryFiles().files }), params, undefined);
  const browser = await pooledBrowser();
  while (!browser.contexts()[0]?.pages().length) await new Promise((r) => setTimeout(r, 20));
  abort.abort();
  await expect(running).rejects.toThrow();
  expect(browser.contexts()).toHaveLength(0);
});

it('reports a browser that crashed mid-step as retryable, and launches a new one for the next run', async () => {
  const browser = await pooledBrowser();
  const failure = browse([
    { action: 'goto', target: `${site.url}/people` },
    { action: 'waitFor', target: '#never' },
  ]).then(
    () => undefined,
    (err: unknown) => err, // caught at once: it rejects while the test is still closing the browser
  );
  while (!browser.contexts()[0]?.pages().length) await new Promise((r) => setTimeout(r, 20));
  await browser.close();
  expect(await failure).toMatchObject({
    code: 'browser-crashed',
    retryable: true,
    message: expect.stringMatching(/^Step \d \((goto|waitFor) .*\): the browser crashed or was closed/),
  });
  const out = await browse([{ action: 'goto', target: `${site.url}/people` }]);
  expect(out.title).toBe('People 1');
  expect(await pooledBrowser()).not.toBe(browser);
});

it('with screenshots "every", records one screenshot per step with its URL', async () => {
  const files = memoryFiles();
  const out = await browse(
    [
      { action: 'goto', target: `${site.url}/people` },
      { action: 'click', target: 'text=Next' },
      { action: 'assert', target: 'text=Last page' },
    ],
    { screenshots: 'every' },
    files,
  );
  expect(out.steps.map((s) => s.screenshot?.name)).toEqual(['step-1.png', 'step-2.png', 'step-3.png']);
  expect([out.steps[0].url, out.steps[2].url]).toEqual([`${site.url}/people`, `${site.url}/people?page=2`]);
  expect(files.saved).toHaveLength(3);
});
