// Steps that move files: upload a run file into a file input, download what a click starts into the run's files
// (with a size cap enforced while the file arrives, download-guard.ts, and again as it is stored), and print the page
// as a PDF.
import type { Readable } from 'node:stream';
import type { Locator, Page } from 'playwright-core';
import type { FileRef } from '../../contracts/file-ref';
import type { RunFiles } from '../define';
import { guardDownloads } from './download-guard';
import { withDeadline } from './step-helpers';

/** Playwright hands a file to the page in one message: larger files would need a path on the worker's disk. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

const MIME_BY_EXTENSION: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  zip: 'application/zip',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export function mimeTypeOf(name: string): string {
  return MIME_BY_EXTENSION[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

function storeOf(files: RunFiles | undefined, what: string): RunFiles {
  if (!files) throw new Error(`${what} cannot be stored here (no file store)`);
  return files;
}

/** Sets the file input `input` to the run file `value` (a file reference from an upstream node). */
export async function upload(files: RunFiles | undefined, input: Locator, value: unknown, timeout: number) {
  const { ref, data } = await storeOf(files, 'files').read(value, 'Value', MAX_UPLOAD_BYTES);
  await input.setInputFiles({ name: ref.name, mimeType: ref.mimeType, buffer: data }, { timeout });
}

function overCap(maxBytes: number): Error {
  return new Error(`the download is over the ${maxBytes / 1024 / 1024} MB limit`);
}

/** The stream's chunks, failing once more than `maxBytes` went through (the store then deletes what it wrote). */
export async function* capped(stream: Readable, maxBytes: number): AsyncIterable<Buffer> {
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      stream.destroy();
      throw overCap(maxBytes);
    }
    yield chunk;
  }
}

/** Clicks `link`, waits for the download it starts and stores it, under the name the site gave it. */
export async function download(
  files: RunFiles | undefined,
  page: Page,
  link: Locator,
  maxBytes: number,
  timeout: number,
): Promise<FileRef> {
  const store = storeOf(files, 'downloads');
  const deadline = Date.now() + timeout;
  const guard = await guardDownloads(page, maxBytes);
  const [started] = await Promise.all([page.waitForEvent('download', { timeout }), link.click({ timeout })]);
  try {
    const failure = await withDeadline(
      started.failure(),
      Math.max(1, deadline - Date.now()),
      `Timeout ${timeout}ms exceeded waiting for the download to finish`,
    );
    if (failure === 'canceled' && (await guard.cancelledOverCap(started.url()))) throw overCap(maxBytes);
    if (failure) throw new Error(`the download failed (${failure})`);
    const name = started.suggestedFilename() || 'download';
    const stream = await started.createReadStream();
    // Counted again as it is stored: a small file can complete before Chromium reports its progress.
    return await store.saveStream({ name, mimeType: mimeTypeOf(name), data: capped(stream, maxBytes) });
  } finally {
    // A step that failed or ran out of time leaves no download arriving (a no-op once it finished).
    await started.cancel().catch(() => undefined);
    await started.delete().catch(() => undefined);
  }
}

/** The page printed as a PDF (headless Chromium only), stored as a run file. */
export async function pdf(files: RunFiles | undefined, page: Page, name: string): Promise<FileRef> {
  const store = storeOf(files, 'PDFs');
  return store.save({ name, mimeType: 'application/pdf', data: await page.pdf({ printBackground: true }) });
}
