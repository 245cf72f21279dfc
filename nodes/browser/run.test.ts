// The Browser runner against a real local website in the provisioned Chromium: logins and their idempotency key,
// tables across pages, slow and script-built pages, iframes, uploads, downloads, PDFs, page scripts, popups, refused
// hosts, missing elements with their evidence and trace, and Website login credentials. Files are kept in memory
// here; the workflow test stores them for real.
import { randomUUID } from 'node:crypto';
import type { FileRef } from '../../contracts/file-ref';
import { SITE_TOTP_SECRET, startBrowserSite, type BrowserSite } from '../../test/browser-site/server';
import type { RunContext } from '../define';
import { ALLOW_HOSTS_ENV } from '../http-request/address-policy';
import { makeRunContext } from '../testing';
import { closeBrowserPool, pooledBrowser } from './pool';
import { NodeError } from '../errors';
import { run, type StepRecord } from './run';
import type { BrowserStep } from './spec';
import { memoryFiles } from './test-files';

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

type Output = { data: Record<string, unknown>; steps: StepRecord[]; url: string; title: string };

async function browse(
  steps: BrowserStep[],
  extra: Record<string, unknown> = {},
  files = memoryFiles(),
  context: Partial<RunContext> = {},
) {
  const params = { steps, stepTimeoutMs: 5_000, screenshots: 'none', ...extra } as Parameters<typeof run>[1];
  const ctx = makeRunContext({ files: files.files, idempotencyKey: randomUUID(), ...context });
  return (await run(ctx, params, undefined)) as Output;
}

/** The NodeError a run fails with (a run that succeeds fails the test). */
async function failureOf(work: Promise<unknown>): Promise<NodeError> {
  const outcome = await work.then(
    () => new Error('the run succeeded'),
    (err: unknown) => err,
  );
  if (!(outcome instanceof NodeError)) throw outcome;
  return outcome;
}

const signIn = (password = 'analytical'): BrowserStep[] => [
  { action: 'goto', target: `${site.url}/login` },
  { action: 'fill', target: 'label=Email', value: 'ada@example.com' },
  { action: 'fill', target: 'label=Password', value: password },
  { action: 'click', target: 'role=button[name="Sign in"]' },
];

it('signs in through the form once and extracts the welcome text', async () => {
  const key = randomUUID();
  const out = await browse([...signIn(), { action: 'extractText', target: 'h1', name: 'greeting' }], {}, undefined, {
    idempotencyKey: key,
  });
  expect(out.data).toEqual({ greeting: 'Welcome, Ada' });
  expect(out.title).toBe('Welcome');
  expect(site.submissions(key)).toBe(1);
  expect(site.applied(key)).toBe(1);
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

it('sends the step’s idempotency key with every request: a retried sign-in is answered, not applied twice', async () => {
  const key = randomUUID();
  for (let attempt = 1; attempt <= 2; attempt++) {
    const out = await browse([...signIn(), { action: 'extractText', target: 'h1', name: 'greeting' }], {}, undefined, {
      idempotencyKey: key,
      attempt,
    });
    expect(out.data.greeting).toBe('Welcome, Ada');
  }
  expect(site.submissions(key)).toBe(2);
  expect(site.applied(key)).toBe(1);
  // Another step's key is another sign-in.
  const other = randomUUID();
  await browse(signIn(), {}, undefined, { idempotencyKey: other });
  expect([site.submissions(other), site.applied(other)]).toEqual([1, 1]);
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
    { stepTimeoutMs: 2_000, screenshots: 'failure' },
    files,
  );
  await expect(failing).rejects.toMatchObject({
    code: 'browser-step',
    message: expect.stringMatching(/^Step 2 \(click role=button\[name="Sign in"\]\): Timeout 2000ms exceeded/),
  });
  expect(files.saved.map((f) => f.name)).toEqual(['step-2-failure.png', 'trace.zip']);
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

it('reports a page whose renderer crashed mid-step as retryable, naming the step, and the browser serves the next run', async () => {
  const browser = await pooledBrowser();
  const failure = browse([
    { action: 'goto', target: `${site.url}/people` },
    { action: 'waitFor', target: '#never' },
  ]).then(
    () => undefined,
    (err: unknown) => err,
  );
  let page;
  while (!(page = browser.contexts()[0]?.pages()[0]) || !page.url().includes('/people'))
    await new Promise((r) => setTimeout(r, 20));
  // What "Aw, Snap!" is: the page's renderer process dies; the browser and its other pages live on.
  const cdp = await browser.contexts()[0].newCDPSession(page);
  await cdp.send('Page.crash').catch(() => undefined); // the renderer dies before it can answer
  expect(await failure).toMatchObject({
    code: 'browser-crashed',
    retryable: true,
    message: expect.stringMatching(/^Step [12] \((goto|waitFor) .*\): the page crashed/),
  });
  const out = await browse([{ action: 'goto', target: `${site.url}/people` }]);
  expect(out.title).toBe('People 1');
  expect(await pooledBrowser()).toBe(browser);
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
      { maxDownloadMb: 1, trace: 'never' },
      capped,
    ),
  ).rejects.toThrow(/^Step 2 \(download text=Download big file\): the download is over the 1 MB limit$/);
  expect(capped.saved).toEqual([]);
});

it('saves the page as a PDF file', async () => {
  const files = memoryFiles();
  const out = await browse(
    [
      { action: 'goto', target: `${site.url}/people` },
      { action: 'pdf', name: 'report' },
    ],
    {},
    files,
  );
  expect(out.data.report).toMatchObject({ name: 'step-2.pdf', mimeType: 'application/pdf' });
  expect(files.saved[0].data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
});

it('evaluates JavaScript in the page, not in Node, and returns its JSON result', async () => {
  const out = await browse([
    { action: 'goto', target: `${site.url}/people` },
    { action: 'evaluate', value: "document.querySelectorAll('#people tbody tr').length", name: 'rows' },
    {
      action: 'evaluate',
      value:
        "const cells = [...document.querySelectorAll('td')];\nreturn { first: cells[0].textContent, count: cells.length };",
      name: 'cells',
    },
    { action: 'evaluate', value: '[typeof process, typeof require, location.pathname]', name: 'where' },
  ]);
  expect(out.data).toEqual({
    rows: 2,
    cells: { first: 'Ada Lovelace', count: 6 },
    where: ['undefined', 'undefined', '/people'],
  });
  await expect(
    browse([
      { action: 'goto', target: `${site.url}/people` },
      { action: 'evaluate', value: 'notDefinedHere()' },
    ]),
  ).rejects.toThrow(/^Step 2 \(evaluate\): ReferenceError: notDefinedHere is not defined/);
  await expect(browse([{ action: 'evaluate', value: 'undefined' }])).rejects.toThrow(
    /^Step 1 \(evaluate\): the script returned nothing/,
  );
});

it('waits for a URL and the network to settle, and asserts the URL by substring or glob', async () => {
  const out = await browse([
    { action: 'goto', target: `${site.url}/people` },
    { action: 'click', target: 'text=Next' },
    { action: 'waitForUrl', target: 'page=2' },
    { action: 'waitForNetworkIdle' },
    { action: 'assertUrl', value: '**/people?page=2' },
    { action: 'assertUrl', value: '/people' },
  ]);
  expect(out.steps.map((s) => s.ok)).toEqual([true, true, true, true, true, true]);
  await expect(
    browse(
      [
        { action: 'goto', target: `${site.url}/people` },
        { action: 'assertUrl', value: 'page=3' },
      ],
      { stepTimeoutMs: 2_000 },
    ),
  ).rejects.toThrow(
    /^Step 2 \(assertUrl\): expected the URL to match "page=3", it is http:\/\/127\.0\.0\.1:\d+\/people$/,
  );
});

it('switches to the page a link opened, back to the first, and to a page by URL', async () => {
  const out = await browse([
    { action: 'goto', target: `${site.url}/popup` },
    { action: 'click', target: 'text=Open details' },
    { action: 'switchPage', target: 'popup' },
    { action: 'extractText', target: '#detail', name: 'detail' },
    { action: 'switchPage', target: 'first' },
    { action: 'click', target: 'role=button[name="Open by script"]' },
    { action: 'switchPage', target: 'via=script' },
    { action: 'extractText', target: 'h1', name: 'heading' },
  ]);
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

it('fails with evidence: the steps done, the failed one with its error and screenshot, the URL and a trace', async () => {
  const files = memoryFiles();
  const failure = await failureOf(
    browse(
      [
        { action: 'goto', target: `${site.url}/people` },
        { action: 'extractTable', target: '#people', name: 'people' },
        { action: 'click', target: 'testid=nowhere' },
      ],
      { stepTimeoutMs: 2_000, screenshots: 'failure' },
      files,
    ),
  );
  const details = failure.details as { steps: StepRecord[]; url: string; trace: FileRef };
  expect(details.url).toBe(`${site.url}/people`);
  expect(details.steps.map((s) => [s.index, s.action, s.ok, s.extracted, s.error])).toEqual([
    [1, 'goto', true, undefined, undefined],
    [2, 'extractTable', true, 'people', undefined],
    [3, 'click', false, undefined, failure.message],
  ]);
  expect(details.steps[2].screenshot).toMatchObject({ name: 'step-3-failure.png', mimeType: 'image/png' });
  expect(details.trace).toMatchObject({ name: 'trace.zip', mimeType: 'application/zip' });
  const zip = files.saved.find((f) => f.name === 'trace.zip')!.data;
  expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');

  const untraced = memoryFiles();
  const quiet = await failureOf(
    browse([{ action: 'click', target: 'testid=nowhere' }], { stepTimeoutMs: 500, trace: 'never' }, untraced),
  );
  expect(quiet.details).toEqual({ steps: [expect.objectContaining({ ok: false })], url: 'about:blank' });
  expect(untraced.saved).toEqual([]);
});

describe('a Website login credential', () => {
  const password = `pw-${randomUUID()}`;

  /** The vault as a runner sees it, for one Website login. */
  function vault(values: Record<string, unknown>): Pick<RunContext, 'credential'> {
    return {
      credential: async (id, types) => {
        expect([id, types]).toEqual(['cred_00000000-0000-4000-8000-000000000001', ['website-login']]);
        return { type: 'website-login', values, markSecret: () => undefined };
      },
    };
  }
  const credential = 'cred_00000000-0000-4000-8000-000000000001';
  const login = { username: 'ada@example.com', password: 'analytical', totpSecret: SITE_TOTP_SECRET };

  it('types its user name, password and current 2FA code where steps write the tokens', async () => {
    const out = await browse(
      [
        ...signIn('$credential.password').map((s, i) => (i === 1 ? { ...s, value: '$credential.username' } : s)),
        { action: 'extractText', target: 'h1', name: 'greeting' },
        { action: 'goto', target: `${site.url}/2fa` },
        { action: 'fill', target: 'label=Code', value: '$credential.totp' },
        { action: 'click', target: 'role=button[name="Verify"]' },
        { action: 'extractText', target: 'h1', name: 'verified' },
      ],
      { credential },
      undefined,
      vault(login),
    );
    expect(out.data).toEqual({ greeting: 'Welcome, Ada', verified: 'Verified' });
  });

  it('keeps the password out of the error, the step records and the details, and keeps no trace', async () => {
    const files = memoryFiles();
    const failure = await failureOf(
      browse(
        [
          ...signIn('$credential.password').slice(0, 3),
          { action: 'evaluate', value: 'throw new Error("rejected $credential.password")' },
        ],
        { credential, screenshots: 'failure' },
        files,
        vault({ ...login, password }),
      ),
    );
    expect(failure.message).toMatch(/^Step 4 \(evaluate\): Error: rejected \[secret\]/);
    expect(failure.details).toMatchObject({ traceSkipped: 'a credential was used' });
    expect(failure.details).not.toHaveProperty('trace');
    const shown = JSON.stringify({ message: failure.message, details: failure.details, stack: failure.stack });
    expect(shown).not.toContain(password);
    expect(files.saved.map((f) => f.name)).toEqual(['step-4-failure.png']);
  });

  it('fails a token with no credential chosen, or a 2FA code with no secret, naming the step', async () => {
    await expect(browse(signIn('$credential.password'))).rejects.toThrow(
      /^Step 3 \(fill label=Password\): \$credential\.password needs a Website login credential: choose one in Credential$/,
    );
    await expect(
      browse(
        [{ action: 'fill', target: 'label=Code', value: '$credential.totp' }],
        { credential },
        undefined,
        vault({ ...login, totpSecret: undefined }),
      ),
    ).rejects.toThrow(
      /^Step 1 \(fill label=Code\): \$credential\.totp needs a 2FA secret in the Website login credential$/,
    );
  });
});
