import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeRunContext } from '../testing';
import { ALLOW_HOSTS_ENV } from './address-policy';
import { MAX_RESPONSE_BYTES } from './response-body';
import { run } from './run';
import { NO_PAGINATION } from './pagination';

type Seen = { method?: string; url?: string; headers: IncomingMessage['headers']; body: string };
let server: Server;
let base: string;
let seen: Seen;

function route(req: IncomingMessage, res: ServerResponse, body: string) {
  seen = { method: req.method, url: req.url, headers: req.headers, body };
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/json') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-reply': 'yes' });
    res.end(JSON.stringify({ ok: true, echo: body }));
  } else if (path === '/text') {
    res.writeHead(201, { 'content-type': 'text/plain' });
    res.end('plain text');
  } else if (path === '/broken-json') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{ not json');
  } else if (path === '/missing') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('nope');
  } else if (path === '/slow') {
    setTimeout(() => res.end('late'), 20_000).unref();
  } else if (path === '/huge') {
    // No content-length: the runner must stop while streaming.
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' });
    const chunk = Buffer.alloc(1024 * 1024, 97);
    let sent = 0;
    const pump = () => {
      while (sent <= MAX_RESPONSE_BYTES) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  } else if (path === '/declared-huge') {
    res.writeHead(200, { 'content-length': String(MAX_RESPONSE_BYTES + 1) });
    res.end();
  } else {
    res.writeHead(204);
    res.end();
  }
}

const allowHostsBefore = process.env[ALLOW_HOSTS_ENV];

beforeAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = '127.0.0.1'; // the test server is on loopback, which is blocked by default
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => route(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = allowHostsBefore;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const params = (over: Partial<Parameters<typeof run>[1]> = {}): Parameters<typeof run>[1] => ({
  method: 'GET',
  url: `${base}/json`,
  headers: {},
  authentication: 'none',
  credential: '',
  bodyType: 'none',
  body: undefined,
  timeoutMs: 5000,
  failOnHttpError: true,
  ...NO_PAGINATION,
  response: 'auto',
  fileName: '',
  ...over,
});

describe('http-request run', () => {
  it('sends method, headers and the idempotency key; parses JSON responses', async () => {
    const ctx = makeRunContext({ idempotencyKey: 'run-7:node-3:0' });
    const out = (await run(ctx, params({ headers: { 'X-Custom': 'abc', Accept: 'application/json' } }), {})) as any;
    expect(seen.method).toBe('GET');
    expect(seen.headers['idempotency-key']).toBe('run-7:node-3:0');
    expect(seen.headers['x-custom']).toBe('abc');
    expect(out).toEqual({
      status: 200,
      statusText: 'OK',
      headers: expect.objectContaining({ 'content-type': 'application/json; charset=utf-8', 'x-reply': 'yes' }),
      body: { ok: true, echo: '' },
    });
  });

  it('overrides a user-supplied Idempotency-Key with the step key', async () => {
    await run(makeRunContext({ idempotencyKey: 'k-1' }), params({ headers: { 'Idempotency-Key': 'mine' } }), {});
    expect(seen.headers['idempotency-key']).toBe('k-1');
  });

  it('sends JSON bodies with a JSON content type', async () => {
    const out = (await run(
      makeRunContext(),
      params({ method: 'POST', bodyType: 'json', body: { email: 'a@b.c', n: [1] } }),
      {},
    )) as any;
    expect(seen.method).toBe('POST');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen.body)).toEqual({ email: 'a@b.c', n: [1] });
    expect(out.body.echo).toBe('{"email":"a@b.c","n":[1]}');
  });

  it('sends text bodies and returns text responses as strings', async () => {
    const out = (await run(
      makeRunContext(),
      params({
        method: 'PUT',
        url: `${base}/text`,
        bodyType: 'text',
        body: 'hello',
        headers: { 'Content-Type': 'text/csv' },
      }),
      {},
    )) as any;
    expect(seen).toMatchObject({
      method: 'PUT',
      body: 'hello',
      headers: expect.objectContaining({ 'content-type': 'text/csv' }),
    });
    expect(out).toMatchObject({ status: 201, statusText: 'Created', body: 'plain text' });
  });

  it('returns an empty string for an empty non-JSON body', async () => {
    const out = (await run(makeRunContext(), params({ method: 'DELETE', url: `${base}/empty` }), {})) as any;
    expect(out).toMatchObject({ status: 204, body: '' });
  });

  it('refuses a body on GET', async () => {
    await expect(run(makeRunContext(), params({ bodyType: 'json', body: { a: 1 } }), {})).rejects.toThrow(
      /GET request cannot have a body/,
    );
  });

  it('fails on non-2xx naming status and URL but not query or headers', async () => {
    const err: any = await run(
      makeRunContext(),
      params({ url: `${base}/missing?token=secret123`, headers: { Authorization: 'Bearer hunter2' } }),
      {},
    ).catch((e: unknown) => e);
    expect(err.message).toBe(`HTTP 404 Not Found from GET ${base}/missing`);
    expect(err.code).toBe('http-status');
    expect(err.retryable).toBe(false);
    expect(err.message).not.toMatch(/secret123|hunter2/);
  });

  it('returns non-2xx responses when failOnHttpError is off', async () => {
    const out = (await run(makeRunContext(), params({ url: `${base}/missing`, failOnHttpError: false }), {})) as any;
    expect(out).toMatchObject({ status: 404, body: 'nope' });
  });

  it('times out with a clear error', async () => {
    const started = Date.now();
    const err: any = await run(makeRunContext(), params({ url: `${base}/slow`, timeoutMs: 200 }), {}).catch(
      (e: unknown) => e,
    );
    expect(err.message).toBe(`HTTP request to ${base}/slow timed out after 200 ms`);
    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(10_000); // the server answers only after 20 s
  });

  it('stops when the run is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err: any = await run(
      makeRunContext({ signal: controller.signal }),
      params({ url: `${base}/slow` }),
      {},
    ).catch((e: unknown) => e);
    expect(err.name).toBe('AbortError');
  });

  it('caps response size while streaming and by declared length', async () => {
    await expect(run(makeRunContext(), params({ url: `${base}/huge` }), {})).rejects.toThrow(
      `Response from ${base}/huge is larger than the 16 MB limit`,
    );
    await expect(run(makeRunContext(), params({ url: `${base}/declared-huge` }), {})).rejects.toThrow(
      /larger than the 16 MB limit/,
    );
  });

  it('explains a JSON content type with an invalid body', async () => {
    await expect(run(makeRunContext(), params({ url: `${base}/broken-json` }), {})).rejects.toThrow(
      /is not valid JSON, but it says it is JSON \(application\/json\)/,
    );
  });

  it('parses the body as the Response param says: JSON or text, whatever the Content-Type', async () => {
    const asText = (await run(makeRunContext(), params({ response: 'text' }), {})) as { body: unknown };
    expect(asText.body).toBe('{"ok":true,"echo":""}');
    await expect(run(makeRunContext(), params({ url: `${base}/text`, response: 'json' }), {})).rejects.toThrow(
      `Response from ${base}/text is not valid JSON, but the Response param says JSON`,
    );
  });

  it('reports connection failures without secrets', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err: any = await run(makeRunContext(), params({ url: `http://127.0.0.1:${port}/x?key=secret` }), {}).catch(
      (e: unknown) => e,
    );
    expect(err.message).toBe(`HTTP request to http://127.0.0.1:${port}/x failed: ECONNREFUSED`);
    expect(err.code).toBe('http-network');
  });
});
