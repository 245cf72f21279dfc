// The Browser node with Engine "Puppeteer" against the real local website in the provisioned Chromium: the cases of
// ../run.test.ts (login, a table across pages, a script-built list, an iframe, uploads, downloads and the size cap,
// popups, human takeover, a refused host, a missing element and its evidence, a crash), run through the node's own
// runner so the engine switch is exercised too.
import { randomUUID } from 'node:crypto';
import { startBrowserSite, type BrowserSite } from '../../../test/browser-site/server';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LiveFrame } from '../../../contracts/browser-live';
import type { RunContext, TakeoverOutcome, TakeoverRequest } from '../../define';
import { ALLOW_HOSTS_ENV } from '../../http-request/address-policy';
import { makeRunContext } from '../../testing';
import { run, type StepRecord } from '../run';
import type { BrowserStep } from '../spec';
import { closePuppeteerPool, pooledPuppeteer } from './pool';
import { memoryFiles } from '../test-files';

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

it('signs in by clicking inside a cross-origin iframe, once per key, and pictures an element there', async () => {
  const key = randomUUID();
  const frame = 'frame=iframe[name="partner"]'; // localhost inside 127.0.0.1: an out-of-process frame
  const files = memoryFiles();
  const out = await browse(
    [
      { action: 'goto', target: `${site.url}/frame-cross` },
      { action: 'fill', target: `${frame} >> label="Email"`, value: 'ada@example.com' },
      { action: 'fill', target: `${frame} >> label="Password"`, value: 'analytical' },
      { action: 'hover', target: `${frame} >> role=button[name="Sign in"]` },
      { action: 'click', target: `${frame} >> role=button[name="Sign in"]` },
      { action: 'extractText', target: `${frame} >> h1`, name: 'welcome' },
      { action: 'screenshot', target: `${frame} >> h1`, name: 'heading' },
    ],
    {},
    files,
    { idempotencyKey: key },
  );
  expect(out.data.welcome).toBe('Welcome, Ada');
  // The frame's request carried the execution's key, as the page's own requests do.
  expect(site.submissions(key)).toBe(1);
  const png = files.saved.find((f) => f.name === 'step-7.png')!.data;
  // The heading's picture, not the page's: as wide as the 600px frame's body, a line high.
  expect(png.readUInt32BE(16)).toBeLessThan(600);
  expect(png.readUInt32BE(20)).toBeLessThan(100);
});

it('fails a frame= part that never comes, is no iframe or names several, naming the step and the part', async () => {
  const attempt = (steps: BrowserStep[]) => browse(steps, { stepTimeoutMs: 1_000 });
  await expect(
    attempt([
      { action: 'goto', target: `${site.url}/frame` },
      { action: 'click', target: 'frame=#nowhere >> text=Inside' },
    ]),
  ).rejects.toThrow(
    /^Step 2 \(click frame=#nowhere >> text=Inside\): Timeout 1000ms exceeded waiting for the frame "frame=#nowhere"$/,
  );
  await expect(
    attempt([
      { action: 'goto', target: `${site.url}/frame` },
      { action: 'extractText', target: 'frame=h1 >> p' },
    ]),
  ).rejects.toThrow('Step 2 (extractText frame=h1 >> p): the "frame=h1" part names a <h1>, not an iframe');
  await expect(
    attempt([
      { action: 'goto', target: `${site.url}/frame` },
      { action: 'evaluate', value: 'document.body.append(document.createElement("iframe")); return 1' },
      { action: 'extractText', target: 'frame=iframe >> p' },
    ]),
  ).rejects.toThrow(
    'Step 3 (extractText frame=iframe >> p): the "frame=iframe" part matches 2 elements; make it name one iframe',
  );
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

it('uploads a run file into a file input: the site receives its name and size', async () => {
  const files = memoryFiles();
  const cv = await files.files.save({ name: 'cv.txt', mimeType: 'text/plain', data: Buffer.from('Ada, engineer\n') });
  const out = await browse(
    [
      { action: 'goto', target: `${site.url}/upload` },
      { action: 'upload', target: 'label=Attachment', value: cv },
      { action: 'click', target: 'role=button[name="Send"]' },
      { action: 'extractText', target: '#received', name: 'received' },
    ],
    {},
    files,
  );
  expect(out.data.received).toBe('cv.txt (14 bytes)');
  await expect(
    browse([
      { action: 'goto', target: `${site.url}/upload` },
      { action: 'upload', target: 'label=Attachment', value: 'cv.txt' },
    ]),
  ).rejects.toThrow(/^Step 2 \(upload label=Attachment\): Value must be a file of this run/);
  await expect(
    browse(
      [
        { action: 'goto', target: `${site.url}/upload` },
        { action: 'upload', target: 'role=button[name="Send"]', value: cv },
      ],
      {},
      files,
    ),
  ).rejects.toThrow('Step 2 (upload role=button[name="Send"]): the element is not a file input');
});

it('downloads what a click starts as a run file, and refuses one over the size cap keeping nothing', async () => {
  const files = memoryFiles();
  const out = await browse(
    [
      { action: 'goto', target: `${site.url}/download` },
      { action: 'download', target: 'text=Download CSV', name: 'csv' },
    ],
    {},
    files,
  );
  expect(out.data.csv).toMatchObject({ name: 'people.csv', mimeType: 'text/csv', bytes: 100 });
  expect(out.steps[1]).toMatchObject({ action: 'download', ok: true, extracted: 'csv' });
  expect(files.saved[0].data.toString()).toBe(
    'name,team\nAda Lovelace,Engineering\nGrace Hopper,Navy\nAlan Turing,Mathematics\nKatherine Johnson,NASA\n',
  );

  const capped = memoryFiles();
  await expect(
    browse(
      [
        { action: 'goto', target: `${site.url}/download` },
        { action: 'download', target: 'text=Download big file', name: 'big' },
      ],
      { maxDownloadMb: 1 },
      capped,
    ),
  ).rejects.toThrow(/^Step 2 \(download text=Download big file\): the download is over the 1 MB limit$/);
  expect(capped.saved).toEqual([]);

  await expect(
    browse(
      [
        { action: 'goto', target: `${site.url}/people` },
        { action: 'download', target: 'text=Next' },
      ],
      { stepTimeoutMs: 2_000 },
    ),
  ).rejects.toThrow('Step 2 (download text=Next): Timeout 2000ms exceeded while waiting for event "download"');
});

it('cancels a download as soon as it passes the cap: the file is never complete, nothing is left on disk', async () => {
  // The server sends 2 MB of a 3 MB file, then holds the rest until the browser hangs up (or the test ends).
  let sent = 0;
  let hungUp: (sent: number) => void = () => undefined;
  const hangUp = new Promise<number>((resolve) => (hungUp = resolve));
  const server = createServer((req, res) => {
    if (req.url !== '/held.bin')
      return res.writeHead(200, { 'content-type': 'text/html' }).end('<a href="/held.bin" download>Get it</a>');
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-disposition': 'attachment; filename="held.bin"',
      'content-length': String(3 * 1024 * 1024),
    });
    res.write(Buffer.alloc(2 * 1024 * 1024, 7), () => (sent = 2 * 1024 * 1024));
    req.socket.once('close', () => hungUp(sent));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  await pooledPuppeteer(); // launched first: Chromium keeps its own temporary files under TMPDIR too
  const tmp = await mkdtemp(join(tmpdir(), 'baton-p1-'));
  const tmpBefore = process.env.TMPDIR;
  process.env.TMPDIR = tmp; // where the engine makes its download directory
  const files = memoryFiles();
  try {
    await expect(
      browse(
        [
          { action: 'goto', target: url },
          { action: 'download', target: 'text=Get it', name: 'held' },
        ],
        { maxDownloadMb: 1, stepTimeoutMs: 30_000 },
        files,
      ),
    ).rejects.toThrow(/^Step 2 \(download text=Get it\): the download is over the 1 MB limit$/);
    // The browser hung up with a third of the file never sent: the download was cancelled, not finished.
    expect(await hangUp).toBe(2 * 1024 * 1024);
    expect(files.saved).toEqual([]);
    expect(await readdir(tmp)).toEqual([]);
  } finally {
    // Assigning undefined would leave the text "undefined" as TMPDIR (the next Chromium launch could not start).
    if (tmpBefore === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpBefore;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(tmp, { recursive: true, force: true });
  }
});

it('switches to the page a link opened, back to the first, and to a page by URL', async () => {
  const key = randomUUID();
  const out = await browse(
    [
      { action: 'goto', target: `${site.url}/popup` },
      { action: 'click', target: 'text=Open details' },
      { action: 'switchPage', target: 'popup' },
      { action: 'extractText', target: '#detail', name: 'detail' },
      { action: 'switchPage', target: 'first' },
      { action: 'click', target: 'role=button[name="Open by script"]' },
      { action: 'switchPage', target: 'via=script' },
      { action: 'extractText', target: 'h1', name: 'heading' },
    ],
    {},
    undefined,
    { idempotencyKey: key },
  );
  expect(out.data).toEqual({ detail: 'Opened in a new window', heading: 'Details' });
  expect(out.steps.map((s) => s.url.replace(site.url, ''))).toEqual([
    '/popup',
    '/popup',
    '/popup-target',
    '/popup-target',
    '/popup',
    '/popup',
    '/popup-target?via=script',
    '/popup-target?via=script',
  ]);
  await expect(
    browse(
      [
        { action: 'goto', target: `${site.url}/people` },
        { action: 'switchPage', target: 'popup' },
      ],
      { stepTimeoutMs: 2_000 },
    ),
  ).rejects.toThrow(/^Step 2 \(switchPage popup\): the previous step opened no page within 2000 ms/);
});

it('hands a failed step to a person over a live Puppeteer page, and goes on when they finish it', async () => {
  const requests: TakeoverRequest[] = [];
  const takeover = async (request: TakeoverRequest): Promise<TakeoverOutcome> => {
    requests.push(request);
    // Plays the person: watches a frame, then goes to the next table page by clicking its link where it is drawn.
    const frames: LiveFrame[] = [];
    const stop = await request.surface.watch((frame) => frames.push(frame));
    while (frames.length === 0) await new Promise((r) => setTimeout(r, 20));
    await stop();
    await request.surface.apply({ type: 'key', key: 'Tab' });
    await request.surface.apply({ type: 'key', key: 'Enter' });
    while (!request.surface.url().endsWith('page=2')) await new Promise((r) => setTimeout(r, 20));
    expect(frames[0]).toMatchObject({ width: 1280, height: 800 });
    expect(Buffer.from(frames[0].data, 'base64').subarray(0, 2).toString('hex')).toBe('ffd8'); // a JPEG
    return { outcome: 'done', by: 'Ada Owner' };
  };
  const out = await browse(
    [
      { action: 'goto', target: `${site.url}/people` },
      { action: 'assert', target: 'text="Last page"' },
      { action: 'extractTable', target: '#people', name: 'people' },
    ],
    { askHuman: true, stepTimeoutMs: 1_000 },
    undefined,
    { takeover },
  );
  expect(requests.map((r) => [r.step, r.reason])).toEqual([
    ['Step 2 (assert text="Last page")', 'Timeout 1000ms exceeded'],
  ]);
  expect(out.steps[1]).toMatchObject({ index: 2, ok: true, person: 'Ada Owner' });
  expect(out.data.people).toHaveLength(2);
  expect(out.url).toBe(`${site.url}/people?page=2`);

  const gaveUp = async (): Promise<TakeoverOutcome> => ({ outcome: 'gave-up', by: 'Ada Owner', note: 'No code' });
  await expect(
    browse(
      [
        { action: 'goto', target: `${site.url}/people` },
        { action: 'click', target: 'testid=nowhere' },
      ],
      { askHuman: true, stepTimeoutMs: 1_000 },
      undefined,
      { takeover: gaveUp },
    ),
  ).rejects.toThrow('Step 2 (click testid=nowhere): Timeout 1000ms exceeded (Ada Owner gave up: "No code")');
});

it('keeps the same evidence as Playwright on failure, and says why there is no trace', async () => {
  const failure = browse(
    [
      { action: 'goto', target: `${site.url}/people` },
      { action: 'click', target: 'testid=nowhere' },
    ],
    { stepTimeoutMs: 1_000, screenshots: 'failure' },
  );
  await expect(failure).rejects.toMatchObject({
    details: {
      url: `${site.url}/people`,
      traceSkipped: 'traces are kept by the Playwright engine only',
      steps: [
        expect.objectContaining({ index: 1, ok: true }),
        expect.objectContaining({
          index: 2,
          ok: false,
          screenshot: expect.objectContaining({ name: 'step-2-failure.png' }),
        }),
      ],
    },
  });
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
