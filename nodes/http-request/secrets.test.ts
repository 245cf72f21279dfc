// Secrets stay where they belong: request credentials with their origin across redirects, response secrets out of
// the node's output, URL credentials and tokens out of its error messages. Two loopback servers are two origins.
import { startSink, type Sink } from '../../test/sink';
import { makeRunContext } from '../testing';
import { ALLOW_HOSTS_ENV } from './address-policy';
import { run } from './run';
import { NO_PAGINATION } from './pagination';

let origin: Sink;
let other: Sink;
const allowHostsBefore = process.env[ALLOW_HOSTS_ENV];

type Params = Parameters<typeof run>[1];
const call = (over: Partial<Params>) =>
  run(
    makeRunContext({ idempotencyKey: 'run-1:node-1:0' }),
    {
      method: 'GET',
      url: `${origin.url}/`,
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
    },
    {},
  ) as Promise<{ status: number; headers: Record<string, string>; body: unknown }>;
const failure = (over: Partial<Params>) =>
  call(over).then(
    () => Promise.reject(new Error('expected the request to fail')),
    (e: unknown) => e as { message: string; code: string },
  );

const SECRET_REQUEST_HEADERS = {
  Authorization: 'Bearer hunter2',
  Cookie: 'session=s3cr3t',
  'Proxy-Authorization': 'Basic cHJveHk6cGFzcw==',
  'X-Api-Key': 'key-123',
  'X-Service-Token': 'tok-456',
  'X-Trace': 'trace-1',
};

beforeAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = '127.0.0.1';
  [origin, other] = await Promise.all([startSink(), startSink()]);
});

beforeEach(() => {
  for (const sink of [origin, other]) {
    sink.requests.length = 0;
    sink.handle((_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('landed'));
  }
});

afterAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = allowHostsBefore;
  await Promise.all([origin.close(), other.close()]);
});

describe('http-request secret hygiene', () => {
  it('drops credentials and secret-looking headers on a cross-origin redirect, keeps the rest', async () => {
    origin.handle((_req, res) => void res.writeHead(307, { location: `${other.url}/landing` }).end());
    const out = await call({ method: 'POST', bodyType: 'json', body: { a: 1 }, headers: SECRET_REQUEST_HEADERS });
    expect(out).toMatchObject({ status: 200, body: 'landed' });
    expect(origin.requests[0].headers).toMatchObject({ authorization: 'Bearer hunter2', 'x-api-key': 'key-123' });
    const landed = other.requests[0];
    expect(landed).toMatchObject({
      method: 'POST',
      path: '/landing',
      body: '{"a":1}',
      idempotencyKey: 'run-1:node-1:0',
    });
    expect(landed.headers['x-trace']).toBe('trace-1');
    for (const name of ['authorization', 'cookie', 'proxy-authorization', 'x-api-key', 'x-service-token']) {
      expect(landed.headers[name]).toBeUndefined();
    }
  });

  it('keeps credentials on a same-origin redirect', async () => {
    origin.handle(
      (req, res) =>
        void (req.path === '/' ? res.writeHead(302, { location: '/next' }).end() : res.writeHead(204).end()),
    );
    await call({ headers: SECRET_REQUEST_HEADERS });
    expect(origin.requests.map((r) => r.path)).toEqual(['/', '/next']);
    expect(origin.requests[1].headers).toMatchObject({ authorization: 'Bearer hunter2', 'x-service-token': 'tok-456' });
  });

  it('turns a POST into a GET without body or body headers on 303', async () => {
    origin.handle((_req, res) => void res.writeHead(303, { location: `${other.url}/result` }).end());
    await call({ method: 'POST', bodyType: 'json', body: { a: 1 } });
    expect(other.requests[0]).toMatchObject({ method: 'GET', path: '/result', body: '' });
    expect(other.requests[0].headers['content-type']).toBeUndefined();
  });

  it('redacts secret-looking response headers in its output', async () => {
    origin.handle((_req, res) => {
      res.setHeader('Set-Cookie', ['session=abc; HttpOnly', 'csrf=def']);
      res.setHeader('X-Api-Key', 'echoed-key');
      res.setHeader('X-Upstream-Token', 'tok');
      res.setHeader('Authorization', 'Bearer echoed');
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req-9' }).end('{}');
    });
    const out = await call({});
    expect(out.headers).toMatchObject({
      'set-cookie': '[redacted]',
      'x-api-key': '[redacted]',
      'x-upstream-token': '[redacted]',
      authorization: '[redacted]',
      'content-type': 'application/json',
      'x-request-id': 'req-9',
    });
    expect(JSON.stringify(out)).not.toMatch(/abc|def|echoed|tok\b/);
  });

  it('refuses URL credentials without repeating them or the query', async () => {
    const url = `https://u:hunter2@127.0.0.1:${new URL(origin.url).port}/?token=tok123`;
    const err = await failure({ url });
    expect(err.code).toBe('param-invalid');
    expect(err.message).toContain(`https://127.0.0.1:${new URL(origin.url).port}/ carries credentials`);
    expect(err.message).not.toMatch(/hunter2|tok123/);
    expect(origin.requests).toHaveLength(0);
  });

  it('refuses a redirect to a URL with credentials, without repeating them', async () => {
    origin.handle(
      (_req, res) =>
        void res
          .writeHead(302, { location: `http://u:hunter2@127.0.0.1:${new URL(other.url).port}/?token=tok123` })
          .end(),
    );
    const err = await failure({ headers: { Authorization: 'Bearer hunter2' } });
    expect(err.code).toBe('param-invalid');
    expect(err.message).not.toMatch(/hunter2|tok123/);
    expect(other.requests).toHaveLength(0);
  });

  it('scrubs credentials and tokens from a URL it quotes in an error', async () => {
    const err = await failure({ url: 'ftp://u:hunter2@files.example.com/?token=tok123' });
    expect(err.message).toBe(
      'HTTP request: URL "ftp://***@files.example.com/?token=[redacted]" is not an absolute http(s) URL; ' +
        'fix the URL parameter',
    );
  });
});
