// The Playwright engine's download cap is enforced while the file arrives (download-guard.ts, decision 055), against a
// local site in the provisioned Chromium: a download that passes the cap is cancelled mid-transfer (the site sees the
// browser hang up with the rest of the file never sent), nothing is stored or left in the browser's download
// directory, and the worker serves the next run. Downloads under the cap still work, with or without Content-Length;
// another execution's bigger download on the same browser is left alone; a download still arriving at the step
// timeout is stopped; a download a click step starts is capped too; code mode refuses downloads.
import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALLOW_HOSTS_ENV } from '../http-request/address-policy';
import { makeRunContext } from '../testing';
import { downloadDirOf } from './download-guard';
import { dropWarmChild } from './code/warm-child';
import { closeBrowserPool, pooledBrowser } from './pool';
import { run, type StepRecord } from './run';
import type { BrowserStep } from './spec';
import { memoryFiles } from './test-files';

const MB = 1024 * 1024;
/** The site writes a held download in chunks of this size: two (over the 1 MB cap, short of the 3 MB file), then holds. */
const CHUNK = MB;

/** A held download: the bytes the site handed to the connection, and when the browser hung up. */
interface Held {
  sent: number;
  hungUp: Promise<number>;
  hangUp: (sent: number) => void;
}

/**
 * A site whose downloads the test controls: each /held-… file sends 2 MB of 3 MB and holds until released;
 * /after-hangup/<name> answers once the browser hung up on /<name>.bin (a step that waits for it).
 */
class DownloadSite {
  readonly server: Server;
  url = '';
  private readonly held = new Map<string, Held>();
  private readonly releases = new Map<string, () => void>();

  constructor() {
    this.server = createServer((req, res) => this.answer(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves with the bytes sent once the browser hung up on the held download `path`. */
  hungUp(path: string): Promise<number> {
    return this.heldAt(path).hungUp;
  }

  /** Whether the site was asked for `path`. */
  asked(path: string): boolean {
    return this.releases.has(path);
  }

  /** Sends the rest of a held download. */
  release(path: string): void {
    this.releases.get(path)?.();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private heldAt(path: string): Held {
    let held = this.held.get(path);
    if (!held) {
      let hangUp: (sent: number) => void = () => undefined;
      const hungUp = new Promise<number>((resolve) => (hangUp = resolve));
      held = { sent: 0, hungUp, hangUp };
      this.held.set(path, held);
    }
    return held;
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '/';
    if (path === '/') {
      const links = [
        'held-sized',
        'held-unsized',
        'held-other',
        'held-click',
        'held-code',
        'held-slow',
        'small-sized',
        'small-unsized',
      ]
        .map((name) => `<a href="/${name}.bin" download>${name}</a>`)
        .join(' ');
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<title>Downloads</title>${links}`);
      return;
    }
    if (path === '/pause') return void setTimeout(() => res.writeHead(200).end('<title>Paused</title>'), 1_500);
    if (path.startsWith('/after-hangup/')) {
      const name = path.slice('/after-hangup/'.length);
      void this.hungUp(`/${name}.bin`).then((sent) => res.writeHead(200).end(`<title>Hung up</title><p>${sent}</p>`));
      return;
    }
    const sized = path.includes('-sized');
    const headers = {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="${path.slice(1)}"`,
    };
    if (path.startsWith('/small-')) {
      const body = Buffer.from('a small file under the cap\n');
      res.writeHead(200, sized ? { ...headers, 'content-length': String(body.length) } : headers).end(body);
      return;
    }
    if (!path.startsWith('/held-')) return void res.writeHead(404).end();
    const declared = path !== '/held-unsized.bin';
    res.writeHead(200, declared ? { ...headers, 'content-length': String(3 * MB) } : headers);
    const held = this.heldAt(path);
    res.once('close', () => held.hangUp(held.sent));
    const send = (left: number) => {
      if (left === 0) return;
      res.write(Buffer.alloc(CHUNK, 7), (err) => {
        if (err) return;
        held.sent += CHUNK;
        send(left - 1);
      });
    };
    send(2);
    this.releases.set(path, () => res.end(Buffer.alloc(MB, 7)));
  }
}

let site: DownloadSite;
const allowBefore = process.env[ALLOW_HOSTS_ENV];

beforeAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = '127.0.0.1'; // the site is on loopback, which the guard refuses by default
  site = new DownloadSite();
  await site.start();
});
afterAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = allowBefore;
  await dropWarmChild(); // the code mode test leaves a child forked ahead for the next script
  await closeBrowserPool();
  await site?.close();
});

type Output = { data: Record<string, unknown>; steps: StepRecord[] };

async function browse(steps: BrowserStep[], maxDownloadMb: number, files = memoryFiles(), stepTimeoutMs = 30_000) {
  const params = { steps, stepTimeoutMs, screenshots: 'none', trace: 'never', maxDownloadMb };
  const ctx = makeRunContext({ files: files.files, idempotencyKey: randomUUID() });
  return (await run(ctx, params as Parameters<typeof run>[1], undefined)) as Output;
}

const downloadOf = (name: string): BrowserStep[] => [
  { action: 'goto', target: `${site.url}/` },
  { action: 'download', target: `text=${name}`, name: 'file' },
];

it.each([
  ['with', 'held-sized'],
  ['without', 'held-unsized'],
])(
  'cancels a download %s Content-Length once it passes the cap: the rest is never sent, nothing is kept',
  async (_, name) => {
    const files = memoryFiles();
    await expect(browse(downloadOf(name), 1, files)).rejects.toThrow(
      new RegExp(`^Step 2 \\(download text=${name}\\): the download is over the 1 MB limit$`),
    );
    // The browser hung up while the site held the last third: at most the cap and one chunk went out.
    const sent = await site.hungUp(`/${name}.bin`);
    expect(sent).toBeLessThanOrEqual(MB + CHUNK);
    expect(files.saved).toEqual([]);
    expect(await readdir(downloadDirOf(await pooledBrowser()))).toEqual([]);

    // The worker's browser serves the next run.
    const next = memoryFiles();
    const out = await browse(downloadOf('small-unsized'), 1, next);
    expect(out.data.file).toMatchObject({ name: 'small-unsized.bin', bytes: 27 });
    expect(next.saved[0].data.toString()).toBe('a small file under the cap\n');
  },
);

it.each([['small-sized'], ['small-unsized']])('stores a download under the cap (%s)', async (name) => {
  const files = memoryFiles();
  const out = await browse(downloadOf(name), 1, files);
  expect(out.steps[1]).toMatchObject({ action: 'download', ok: true, extracted: 'file' });
  expect(files.saved.map((f) => [f.name, f.data.toString()])).toEqual([
    [`${name}.bin`, 'a small file under the cap\n'],
  ]);
  expect(await readdir(downloadDirOf(await pooledBrowser()))).toEqual([]);
});

it('leaves another execution’s bigger download alone: the cap is per execution', async () => {
  // B may download 5 MB; while its 3 MB file is held at 2 MB, A (capped at 1 MB) downloads on the same browser.
  const big = memoryFiles();
  const b = browse(downloadOf('held-other'), 5, big);
  while (!site.asked('/held-other.bin')) await new Promise((resolve) => setTimeout(resolve, 20));
  // A's guard stays up through a slow page, long enough to see B's progress (Chromium reports it every 500 ms).
  const a = await browse([...downloadOf('small-sized'), { action: 'goto', target: `${site.url}/pause` }], 1);
  expect(a.steps[1]).toMatchObject({ ok: true });
  site.release('/held-other.bin');
  const out = await b;
  expect(out.data.file).toMatchObject({ name: 'held-other.bin', bytes: 3 * MB });
  expect(big.saved[0].data.length).toBe(3 * MB);
});

it('stops a download still arriving at the step timeout, and keeps nothing', async () => {
  const files = memoryFiles();
  await expect(browse(downloadOf('held-slow'), 5, files, 3_000)).rejects.toThrow(
    /^Step 2 \(download text=held-slow\): Timeout 3000ms exceeded waiting for the download to finish$/,
  );
  expect(await site.hungUp('/held-slow.bin')).toBeLessThanOrEqual(2 * CHUNK);
  expect(files.saved).toEqual([]);
  expect(await readdir(downloadDirOf(await pooledBrowser()))).toEqual([]);
});

it('caps a download any step starts, not only a download step', async () => {
  // A click on an export link: the run goes on, and the next page waits for the browser to hang up on the file.
  const out = await browse(
    [
      { action: 'goto', target: `${site.url}/` },
      { action: 'click', target: 'text=held-click' },
      { action: 'goto', target: `${site.url}/after-hangup/held-click` },
    ],
    1,
  );
  expect(out.steps.map((s) => s.ok)).toEqual([true, true, true]);
  expect(await site.hungUp('/held-click.bin')).toBeLessThanOrEqual(MB + CHUNK);
  expect(await readdir(downloadDirOf(await pooledBrowser()))).toEqual([]);
});

it('refuses downloads in code mode, which has no download API', async () => {
  const ctx = makeRunContext({ files: memoryFiles().files, idempotencyKey: randomUUID() });
  const params = {
    mode: 'code',
    steps: [],
    stepTimeoutMs: 30_000,
    screenshots: 'none',
    code: `
      await page.goto('${site.url}/');
      await page.click('text=held-code');
      await page.goto('${site.url}/after-hangup/held-code');
      return await page.title();
    `,
  };
  const out = (await run(ctx, params as unknown as Parameters<typeof run>[1], undefined)) as { data: unknown };
  expect(out.data).toBe('Hung up');
  expect(await site.hungUp('/held-code.bin')).toBeLessThanOrEqual(MB + CHUNK);
  expect(await readdir(downloadDirOf(await pooledBrowser()))).toEqual([]);
});
