// The HTTP node refuses internal destinations, checked on the addresses it would really connect to, unless
// BATON_HTTP_ALLOW_HOSTS re-enables them. Real loopback servers stand in for the internal services.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSink, type Sink } from '../../test/sink';
import { makeRunContext } from '../testing';
import { ALLOW_HOSTS_ENV } from './address-policy';
import { MAX_REDIRECTS } from './redirects';
import { run } from './run';
import { NO_PAGINATION } from './pagination';

let sink: Sink;
let port: number;
let ipv6Server: Server;
let ipv6Port: number;
const allowHostsBefore = process.env[ALLOW_HOSTS_ENV];

function allowHosts(value: string | undefined) {
  if (value === undefined) delete process.env[ALLOW_HOSTS_ENV];
  else process.env[ALLOW_HOSTS_ENV] = value;
}

// A long timeout: a refused destination must fail at once, never by timing out (jest's 5 s limit would catch it).
const get = (url: string) =>
  run(
    makeRunContext(),
    {
      method: 'GET',
      url,
      headers: {},
      authentication: 'none',
      credential: '',
      bodyType: 'none',
      body: undefined,
      timeoutMs: 60_000,
      failOnHttpError: true,
      ...NO_PAGINATION,
      response: 'auto',
      fileName: '',
    },
    {},
  );
const failure = (url: string) =>
  get(url).then(
    () => Promise.reject(new Error(`expected ${url} to fail`)),
    (e: unknown) => e as { message: string; code: string; retryable: boolean },
  );
const HOW_TO_ALLOW =
  'Workflows may only call public addresses; to allow this host, an administrator adds "%s" to ' +
  "BATON_HTTP_ALLOW_HOSTS (comma separated host names, IPs or CIDRs) in the workers' environment";
const howToAllow = (host: string) => HOW_TO_ALLOW.replace('%s', host);

beforeAll(async () => {
  sink = await startSink();
  port = Number(new URL(sink.url).port);
  ipv6Server = createServer((_req, res) => res.end('from ::1'));
  await new Promise<void>((resolve) => ipv6Server.listen(0, '::1', resolve));
  ipv6Port = (ipv6Server.address() as AddressInfo).port;
});

beforeEach(() => {
  allowHosts(undefined);
  sink.requests.length = 0;
  sink.handle((_req, res, n) => void res.writeHead(200, { 'content-type': 'application/json' }).end(`{"n":${n}}`));
});

afterAll(async () => {
  allowHosts(allowHostsBefore);
  await sink.close();
  ipv6Server.closeAllConnections();
  await new Promise((resolve) => ipv6Server.close(resolve));
});

describe('http-request destination guard', () => {
  it('refuses loopback with a non-retryable error that names the host, the reason and the fix', async () => {
    const err = await failure(`http://127.0.0.1:${port}/json`);
    expect(err).toMatchObject({ code: 'ssrf-blocked', retryable: false });
    expect(err.message).toBe(
      `HTTP request blocked: 127.0.0.1 is a loopback address (this machine). ${howToAllow('127.0.0.1')}`,
    );
    expect(sink.requests).toHaveLength(0);
  });

  it.each([
    ['decimal', `http://2130706433:PORT/`, '127.0.0.1'],
    ['octal', `http://0177.0.0.1:PORT/`, '127.0.0.1'],
    ['hex and short', `http://0x7f.1:PORT/`, '127.0.0.1'],
    ['IPv6 loopback', `http://[::1]:PORT/`, '[::1]'],
    ['IPv4-mapped IPv6', `http://[::ffff:127.0.0.1]:PORT/`, '[::ffff:7f00:1]'],
    ['unspecified', `http://0.0.0.0:PORT/`, '0.0.0.0'],
  ])('refuses loopback written as %s (%s)', async (_form, url, host) => {
    const err = await failure(url.replace('PORT', String(port)));
    expect(err.code).toBe('ssrf-blocked');
    expect(err.message).toMatch(new RegExp(`^HTTP request blocked: ${host.replace(/[[\].]/g, '\\$&')} is an? `));
    expect(sink.requests).toHaveLength(0);
  });

  it.each([
    ['http://10.0.0.1/admin', 'HTTP request blocked: 10.0.0.1 is a private network address.'],
    ['http://169.254.169.254/latest/meta-data/', 'HTTP request blocked: 169.254.169.254 is a cloud metadata service'],
    ['http://[fd00:ec2::254]/', 'HTTP request blocked: [fd00:ec2::254] is a cloud metadata service address.'],
    ['http://metadata.google.internal/', 'HTTP request blocked: metadata.google.internal is a cloud metadata service'],
    ['http://100.64.1.1/', 'HTTP request blocked: 100.64.1.1 is a carrier-grade NAT (shared) address.'],
  ])('refuses %s before any connection attempt', async (url, start) => {
    const err = await failure(url);
    expect(err.code).toBe('ssrf-blocked');
    expect(err.message.startsWith(start)).toBe(true);
  });

  it('checks the addresses a host name resolves to, not the name', async () => {
    const err = await failure(`http://localhost:${port}/json`);
    expect(err.code).toBe('ssrf-blocked');
    expect(err.message).toMatch(/^HTTP request blocked: localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    expect(err.message).toContain(howToAllow('localhost'));
    expect(sink.requests).toHaveLength(0);
  });

  it('calls internal hosts the allow-list names: by IP, by network, by host name, over IPv6', async () => {
    allowHosts('127.0.0.1');
    await expect(get(`${sink.url}/a`)).resolves.toMatchObject({ status: 200, body: { n: 1 } });
    allowHosts('10.0.0.0/8, 127.0.0.0/8');
    await expect(get(`http://2130706433:${port}/b`)).resolves.toMatchObject({ status: 200, body: { n: 2 } });
    allowHosts('localhost');
    await expect(get(`http://localhost:${port}/c`)).resolves.toMatchObject({ status: 200, body: { n: 3 } });
    allowHosts('::1');
    await expect(get(`http://[::1]:${ipv6Port}/`)).resolves.toMatchObject({ status: 200, body: 'from ::1' });
    expect(sink.requests.map((r) => r.path)).toEqual(['/a', '/b', '/c']);
  });

  it('re-checks every redirect hop: an allowed host cannot redirect to a blocked one', async () => {
    allowHosts('localhost'); // the first hop's host name only, not the address it redirects to
    sink.handle(
      (req, res) =>
        void (req.path.startsWith('/hop')
          ? res.writeHead(302, { location: `http://127.0.0.1:${port}/inside` }).end()
          : res.end('in')),
    );
    const err = await failure(`http://localhost:${port}/hop?token=abc`);
    expect(err).toMatchObject({ code: 'ssrf-blocked', retryable: false });
    expect(err.message).toBe(
      `HTTP request blocked: 127.0.0.1 (redirected from http://localhost:${port}/hop) is a loopback address ` +
        `(this machine). ${howToAllow('127.0.0.1')}`,
    );
    expect(sink.requests.map((r) => r.path)).toEqual(['/hop?token=abc']);
  });

  it('refuses a redirect to the metadata service from an allowed host', async () => {
    allowHosts('127.0.0.1');
    sink.handle((_req, res) => void res.writeHead(307, { location: 'http://169.254.169.254/latest/api/token' }).end());
    const err = await failure(`${sink.url}/go`);
    expect(err.code).toBe('ssrf-blocked');
    expect(err.message).toMatch(/^HTTP request blocked: 169\.254\.169\.254 \(redirected from .*\/go\) is a cloud/);
  });

  it(`stops after ${MAX_REDIRECTS} redirects`, async () => {
    allowHosts('127.0.0.1');
    sink.handle((_req, res) => void res.writeHead(302, { location: '/loop' }).end());
    const err = await failure(`${sink.url}/loop`);
    expect(err).toMatchObject({ code: 'http-redirect', retryable: false });
    expect(err.message).toBe(
      `HTTP request to ${sink.url}/loop was redirected more than ${MAX_REDIRECTS} times (last hop: ${sink.url}/loop); ` +
        'call the final URL directly or fix the redirect loop',
    );
    expect(sink.requests).toHaveLength(MAX_REDIRECTS + 1);
  });

  it('fails every request clearly while the allow-list is malformed', async () => {
    allowHosts('127.0.0.1, 10.0.0.0/40');
    const err = await failure(`${sink.url}/x`);
    expect(err).toMatchObject({ code: 'config-invalid', retryable: false });
    expect(err.message).toMatch(/^BATON_HTTP_ALLOW_HOSTS: "10\.0\.0\.0\/40" is not a valid CIDR/);
    expect(sink.requests).toHaveLength(0);
  });
});
