// A loopback HTTP server for replaying a SaaS API's documented responses: it reads each request whole, hands it to
// the service's handler, and keeps a log of what came and what went, for tests to assert on.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReplayRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  /** Lower-case names. */
  headers: http.IncomingHttpHeaders;
  /** The body as text. */
  text: string;
}

export interface ReplayAnswer {
  status: number;
  headers?: Record<string, string>;
  /** An object or array is sent as JSON; a string as text. */
  body?: unknown;
}

export interface ReplayLogEntry extends ReplayRequest {
  status: number;
  /** What was answered, as sent. */
  answer: unknown;
}

export interface ReplayServer {
  url: string;
  log: ReplayLogEntry[];
  close(): Promise<void>;
}

export async function startReplayServer(handle: (req: ReplayRequest) => ReplayAnswer): Promise<ReplayServer> {
  const log: ReplayLogEntry[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://replay.invalid');
      const request: ReplayRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        text: Buffer.concat(chunks).toString('utf8'),
      };
      let answer: ReplayAnswer;
      try {
        answer = handle(request);
      } catch (err) {
        answer = { status: 500, body: `replay server: ${(err as Error).message}` };
      }
      const json = answer.body !== undefined && typeof answer.body !== 'string';
      const type = json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
      log.push({ ...request, status: answer.status, answer: answer.body });
      res.writeHead(answer.status, {
        ...(answer.body === undefined ? {} : { 'content-type': type }),
        ...answer.headers,
      });
      res.end(answer.body === undefined ? undefined : json ? JSON.stringify(answer.body) : (answer.body as string));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
