// Steps that move files, with Puppeteer, meaning what ../transfer.ts's do: upload a run file into a file input, and
// download what a click starts into the run's files under the node's size cap. Puppeteer has no download API, so the
// download goes through Chromium's own (CDP Browser.setDownloadBehavior with events): it is written to a directory of
// its own, watched as it arrives, and cancelled as soon as it passes the cap, so an over-cap file is never complete.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, ElementHandle, Page } from 'puppeteer-core';
import type { FileRef } from '../../../contracts/file-ref';
import type { RunFiles } from '../../define';
import { withDeadline } from '../step-helpers';
import { MAX_UPLOAD_BYTES, capped, mimeTypeOf } from '../transfer';

function storeOf(files: RunFiles | undefined, what: string): RunFiles {
  if (!files) throw new Error(`${what} cannot be stored here (no file store)`);
  return files;
}

/**
 * Sets the file input to the run file `value` (a file reference from an upstream node). The file is handed to the
 * page as a File object, as Playwright hands a buffer over, so nothing is written to the worker's disk.
 */
export async function upload(files: RunFiles | undefined, input: ElementHandle<Element>, value: unknown) {
  const { ref, data } = await storeOf(files, 'files').read(value, 'Value', MAX_UPLOAD_BYTES);
  const error = await input.evaluate(
    (el, file) => {
      if (!(el instanceof HTMLInputElement) || el.type !== 'file') return 'the element is not a file input';
      const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], file.name, { type: file.mimeType }));
      el.files = transfer.files;
      el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return undefined;
    },
    { name: ref.name, mimeType: ref.mimeType, base64: data.toString('base64') },
  );
  if (error) throw new Error(error);
}

/** What Chromium reports of a download (CDP Browser.downloadWillBegin / downloadProgress). */
interface Began {
  guid: string;
  frameId: string;
  suggestedFilename: string;
}
interface Progress {
  guid: string;
  receivedBytes: number;
  totalBytes: number;
  state: 'inProgress' | 'completed' | 'canceled';
}

/** The ids of `page`'s frames, to tell its downloads from another execution's on the same browser. */
async function frameIdsOf(page: Page): Promise<Set<string>> {
  interface Tree {
    frame: { id: string };
    childFrames?: Tree[];
  }
  const session = await page.createCDPSession();
  try {
    const { frameTree } = (await session.send('Page.getFrameTree')) as { frameTree: Tree };
    const ids = new Set<string>();
    const walk = (tree: Tree) => {
      ids.add(tree.frame.id);
      tree.childFrames?.forEach(walk);
    };
    walk(frameTree);
    return ids;
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/** One download of the page, from the click that starts it to its end (complete, over the cap, or failed). */
class Watch {
  began?: Began;
  finished = false;
  /** The latest progress of each download seen, until the page's own is known (a small one may end at once). */
  private readonly latest = new Map<string, Progress>();
  private readonly done: Promise<Began>;
  private settle!: { resolve: (began: Began) => void; reject: (err: Error) => void };

  constructor(
    private readonly session: CDPSession,
    private readonly contextId: string | undefined,
    private readonly page: Page,
    private readonly maxBytes: number,
  ) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => undefined);
    session.on('Browser.downloadWillBegin', (event) => void this.begin(event as Began));
    session.on('Browser.downloadProgress', (event) => {
      const progress = event as Progress;
      this.latest.set(progress.guid, progress);
      this.progress(progress);
    });
  }

  private async begin(event: Began): Promise<void> {
    const ours = (await frameIdsOf(this.page).catch(() => new Set<string>())).has(event.frameId);
    if (this.began || !ours) return;
    this.began = event;
    const progress = this.latest.get(event.guid);
    if (progress) this.progress(progress);
  }

  private progress(event: Progress): void {
    if (this.finished || event.guid !== this.began?.guid) return;
    const over = Math.max(event.receivedBytes, event.state === 'completed' ? event.totalBytes : 0) > this.maxBytes;
    if (over) {
      // Stopped where it is: Chromium deletes the part it wrote.
      void this.cancel();
      return this.fail(new Error(`the download is over the ${this.maxBytes / 1024 / 1024} MB limit`));
    }
    if (event.state === 'completed') {
      this.finished = true;
      this.settle.resolve(this.began);
    } else if (event.state === 'canceled') this.fail(new Error('the download failed (canceled)'));
  }

  private fail(err: Error): void {
    this.finished = true;
    this.settle.reject(err);
  }

  async cancel(): Promise<void> {
    if (!this.began) return;
    await this.session
      .send('Browser.cancelDownload', { guid: this.began.guid, browserContextId: this.contextId })
      .catch(() => undefined);
  }

  /** Resolves once a download of the page began (its event may come a little after the click resolves). */
  async started(deadline: number, timeout: number): Promise<void> {
    while (!this.began) {
      if (Date.now() >= deadline) throw new Error(`Timeout ${timeout}ms exceeded while waiting for event "download"`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Resolves when the download completed under the cap, within the step's time. */
  completed(deadline: number, timeout: number): Promise<Began> {
    return withDeadline(
      this.done,
      Math.max(1, deadline - Date.now()),
      `Timeout ${timeout}ms exceeded waiting for the download to finish`,
    );
  }
}

/** Runs `click`, waits for the download it starts and stores it, under the name the site gave it. */
export async function download(
  files: RunFiles | undefined,
  context: BrowserContext,
  page: Page,
  click: () => Promise<void>,
  maxBytes: number,
  timeout: number,
): Promise<FileRef> {
  const store = storeOf(files, 'downloads');
  const deadline = Date.now() + timeout;
  const dir = await mkdtemp(join(tmpdir(), 'baton-download-'));
  const session = await context.browser().target().createCDPSession();
  const behavior = (allow: boolean) =>
    session.send('Browser.setDownloadBehavior', {
      behavior: allow ? 'allowAndName' : 'deny',
      browserContextId: context.id,
      ...(allow ? { downloadPath: dir, eventsEnabled: true } : {}),
    });
  try {
    const watch = new Watch(session, context.id, page, maxBytes);
    await behavior(true);
    try {
      await click();
      await watch.started(deadline, timeout);
      const began = await watch.completed(deadline, timeout);
      const name = began.suggestedFilename || 'download';
      // Chromium names the file by the download's id (allowAndName); the cap is checked again as it is read.
      const stream = createReadStream(join(dir, began.guid));
      return await store.saveStream({ name, mimeType: mimeTypeOf(name), data: capped(stream, maxBytes) });
    } finally {
      // A step that failed or ran out of time leaves no download running.
      if (!watch.finished) await watch.cancel();
      // Downloads outside a download step stay denied, as the context was opened.
      await behavior(false).catch(() => undefined);
    }
  } finally {
    await session.detach().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
