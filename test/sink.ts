// A loopback HTTP server standing in for the outside world that HTTP nodes call; counts by Idempotency-Key.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  idempotencyKey?: string;
}

export interface Sink {
  url: string;
  requests: SinkRequest[];
  /** Replaces the handler; the default answers 200 `{ ok: true, n }`. */
  handle(fn: (req: SinkRequest, res: ServerResponse, n: number) => void | Promise<void>): void;
  /** Requests seen per Idempotency-Key header. */
  countsByKey(): Record<string, number>;
  close(): Promise<void>;
}

/** A loopback HTTP server standing in for the outside world that HTTP nodes call. */
export async function startSink(): Promise<Sink> {
  const requests: SinkRequest[] = [];
  let handler: (req: SinkRequest, res: ServerResponse, n: number) => void | Promise<void> = (_req, res, n) => {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true, n }));
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = req.headers['idempotency-key'];
      const entry: SinkRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        idempotencyKey: Array.isArray(key) ? key[0] : key,
      };
      requests.push(entry);
      Promise.resolve(handler(entry, res, requests.length)).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(err));
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (fn) => {
      handler = fn;
    },
    countsByKey: () => {
      const counts: Record<string, number> = {};
      for (const r of requests) if (r.idempotencyKey) counts[r.idempotencyKey] = (counts[r.idempotencyKey] ?? 0) + 1;
      return counts;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
