// A loopback page that holds a browser mid-step: the first request for /hold/<name> is left unanswered until
// answered or dropped, so a test can kill a worker or cancel a run while a step is surely running, without timing.
// Later requests for the same name (a retried attempt) are answered at once.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitForRun } from '../temporal/client';

export interface HeldPages {
  /** `http://127.0.0.1:<port>`; pages are `${url}/hold/<name>`. */
  url: string;
  /** Resolves when /hold/<name> is first requested; that request stays unanswered. */
  arrived(name: string): Promise<void>;
  /** Answers the held request for /hold/<name> with the page, late. */
  answer(name: string): void;
  /** Drops the connections of every held request. */
  release(): void;
  close(): Promise<void>;
}

export const HELD_PAGE_TEXT = 'Held page';

function sendPage(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><title>Held</title><p id="held">${HELD_PAGE_TEXT}</p>`);
}

export async function startHeldPages(): Promise<HeldPages> {
  const waiters = new Map<string, { arrived: Promise<void>; resolve: () => void }>();
  const seen = new Set<string>();
  const held = new Map<string, http.ServerResponse>();
  const waiter = (name: string) => {
    let entry = waiters.get(name);
    if (!entry) {
      let resolve!: () => void;
      const arrived = new Promise<void>((r) => (resolve = r));
      entry = { arrived, resolve };
      waiters.set(name, entry);
    }
    return entry;
  };
  const server = http.createServer((req, res) => {
    const name = /^\/hold\/([\w-]+)$/.exec(new URL(req.url ?? '/', 'http://held').pathname)?.[1];
    if (!name) return res.writeHead(404).end();
    if (!seen.has(name)) {
      seen.add(name);
      held.set(name, res);
      return waiter(name).resolve();
    }
    sendPage(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrived: (name) => waiter(name).arrived,
    answer: (name) => {
      const res = held.get(name);
      held.delete(name);
      if (res) sendPage(res);
    },
    release: () => {
      for (const res of held.values()) res.socket?.destroy();
      held.clear();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Waits until run `runId` requests /hold/<name>. A run that ends before (a step failed on its way there) fails the
 * wait with its status and error, instead of leaving the test waiting for a page nobody will request.
 */
export async function untilHeld(pages: HeldPages, name: string, runId: string, timeoutMs = 90_000): Promise<void> {
  const gaveUp = new AbortController();
  const ended = waitForRun(runId, timeoutMs, gaveUp.signal).then((result) => {
    throw new Error(
      `Run ${runId} ended (${result.status}: ${result.error?.message}) before it requested /hold/${name}`,
    );
  });
  try {
    await Promise.race([pages.arrived(name), ended]);
  } finally {
    gaveUp.abort();
    ended.catch(() => undefined);
  }
}
