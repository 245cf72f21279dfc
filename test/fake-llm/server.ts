// The part every scripted model server shares: a loopback HTTP server with the control endpoints (POST /__script
// replaces the turns to come and clears the log, GET /__requests returns the log), request recording, and a writer that
// streams a reply in separate writes, each piece split in two so network chunks end mid-line. Run as a child process:
// options come in FAKE_LLM_OPTIONS, and the first line printed is `listening <origin>`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeServerOptions, RecordedRequest, Turn } from './script';

export interface Exchange {
  request: RecordedRequest;
  res: http.ServerResponse;
  options: FakeServerOptions;
  /** The next scripted turn, or undefined when the script is spent. */
  nextTurn(): Turn | undefined;
}

/** Answers one request; returns false when the route is not the provider's (a 404 follows). */
export type Route = (exchange: Exchange) => Promise<boolean> | boolean;

export function json(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  res.writeHead(status, { 'content-type': type, ...headers }).end(text);
}

/** Waits `ms`, or less if the client goes away first. */
export async function pause(res: http.ServerResponse, ms: number): Promise<void> {
  if (!ms || res.destroyed) return;
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  await sleep(ms, undefined, { signal: gone.signal }).catch(() => undefined);
}

/** Writes each piece split in the middle, with a pause between the halves, so network chunks end mid-line. */
export async function streamPieces(res: http.ServerResponse, parts: string[]): Promise<void> {
  for (const part of parts) {
    if (res.destroyed) return;
    const half = Math.ceil(part.length / 2);
    res.write(part.slice(0, half));
    await sleep(1); // the first half leaves alone
    if (half < part.length && !res.destroyed) res.write(part.slice(half));
  }
}

/** Ends the reply the way the turn says: cleanly, or by dropping the connection. */
export function finish(res: http.ServerResponse, how: 'end' | 'reset'): void {
  if (how === 'reset') res.socket?.destroy();
  else res.end();
}

function record(req: http.IncomingMessage, text: string): RecordedRequest {
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return {
    method: req.method ?? 'GET',
    path: new URL(req.url ?? '/', 'http://fake').pathname,
    headers: req.headers,
    body,
  };
}

export async function serveFake(route: Route, options: FakeServerOptions): Promise<http.Server> {
  let turns = [...(options.turns ?? [])];
  let log: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = record(req, Buffer.concat(chunks).toString('utf8'));
      if (request.path === '/__script' && request.method === 'POST') {
        turns = Array.isArray(request.body) ? (request.body as Turn[]) : [];
        log = [];
        return json(res, 200, { turns: turns.length });
      }
      if (request.path === '/__requests') return json(res, 200, log);
      log.push(request);
      const exchange: Exchange = { request, res, options, nextTurn: () => turns.shift() };
      Promise.resolve(route(exchange))
        .then((handled) => {
          if (!handled)
            json(res, 404, { error: { message: `fake server: no route ${request.method} ${request.path}` } });
        })
        .catch((err: Error) => {
          if (!res.headersSent) json(res, 500, { error: { message: `fake server: ${err.message}` } });
          else res.destroy();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** The child process entry: serve `route` with the options from the environment and say where. */
export async function runFakeServer(route: Route): Promise<void> {
  const options = JSON.parse(process.env.FAKE_LLM_OPTIONS ?? '{}') as FakeServerOptions;
  const server = await serveFake(route, options);
  process.stdout.write(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

/** The answer when a test forgot to script a turn: a loud 500 that names the cause. */
export function scriptSpent(res: http.ServerResponse): void {
  json(res, 500, { error: { message: 'fake server: no scripted turn left for this request', type: 'server_error' } });
}
