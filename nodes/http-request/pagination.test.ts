// Pagination against a real loopback API that pages the same seven records four ways: a next URL in the body, the
// Link header, a cursor, and offset/limit. The runner gathers every page's items in order, sends each page with its
// own Idempotency-Key, stops on the last page or at Max pages, and names the field when the params are wrong.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeRunContext } from '../testing';
import { ALLOW_HOSTS_ENV } from './address-policy';
import { NO_PAGINATION, nextPageUrl } from './pagination';
import { run } from './run';

const RECORDS = Array.from({ length: 7 }, (_, i) => ({ id: i + 1 }));
const PAGE = 3;
let server: Server;
let base: string;
let seen: Array<{ url: string; key: string }> = [];
const allowHostsBefore = process.env[ALLOW_HOSTS_ENV];

beforeAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = '127.0.0.1';
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ url: `${url.pathname}${url.search}`, key: String(req.headers['idempotency-key']) });
    const json = (body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const page = Number(url.searchParams.get('page') ?? '1');
    const slice = (from: number) => RECORDS.slice(from, from + PAGE);
    if (url.pathname === '/next') {
      const more = page * PAGE < RECORDS.length;
      json({ data: slice((page - 1) * PAGE), paging: { next: more ? `/next?page=${page + 1}` : null } });
    } else if (url.pathname === '/link') {
      const more = page * PAGE < RECORDS.length;
      json(
        slice((page - 1) * PAGE),
        more ? { link: `<${base}/link?page=${page + 1}>; rel="next", <${base}/link?page=3>; rel="last"` } : {},
      );
    } else if (url.pathname === '/cursor') {
      const at = Number(url.searchParams.get('cursor') ?? '0');
      json({ results: { items: slice(at) }, next_cursor: at + PAGE < RECORDS.length ? String(at + PAGE) : '' });
    } else if (url.pathname === '/offset') {
      const offset = Number(url.searchParams.get('offset'));
      json(RECORDS.slice(offset, offset + Number(url.searchParams.get('limit'))));
    } else if (url.pathname === '/endless') {
      json({ data: [{ page }], paging: { next: `/endless?page=${page + 1}` } });
    } else json({ nothing: true });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = allowHostsBefore;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
});

type Params = Parameters<typeof run>[1];
const call = (over: Partial<Params>) =>
  run(
    makeRunContext({ idempotencyKey: 'run-1:List:0' }),
    {
      method: 'GET',
      url: `${base}/next`,
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
  ) as Promise<{ pages: number; items: unknown[]; truncated?: boolean; status: number }>;

test('a next-page URL in the body: every page once, items in order, a key per page', async () => {
  const out = await call({ pagination: 'next-url', itemsPath: 'data', nextUrlPath: 'paging.next' });
  expect(out).toMatchObject({ status: 200, pages: 3, items: RECORDS });
  expect(out.truncated).toBeUndefined();
  expect(seen).toEqual([
    { url: '/next', key: 'run-1:List:0' },
    { url: '/next?page=2', key: 'run-1:List:0:page:2' },
    { url: '/next?page=3', key: 'run-1:List:0:page:3' },
  ]);
});

test('the Link header’s rel="next"', async () => {
  const out = await call({ url: `${base}/link`, pagination: 'link-header' });
  expect(out).toMatchObject({ pages: 3, items: RECORDS });
});

test('a cursor sent back as a query parameter', async () => {
  const out = await call({
    url: `${base}/cursor`,
    pagination: 'cursor',
    itemsPath: 'results.items',
    cursorPath: 'next_cursor',
    cursorParam: 'cursor',
  });
  expect(out).toMatchObject({ pages: 3, items: RECORDS });
  expect(seen.map((s) => s.url)).toEqual(['/cursor', '/cursor?cursor=3', '/cursor?cursor=6']);
});

test('offset and page size, until a short page', async () => {
  const out = await call({
    url: `${base}/offset`,
    pagination: 'offset',
    offsetParam: 'offset',
    limitParam: 'limit',
    pageSize: PAGE,
  });
  expect(out).toMatchObject({ pages: 3, items: RECORDS });
  expect(seen.map((s) => s.url)).toEqual([
    '/offset?offset=0&limit=3',
    '/offset?offset=3&limit=3',
    '/offset?offset=6&limit=3',
  ]);
});

test('an API that never ends stops at Max pages and says the list is truncated', async () => {
  const out = await call({
    url: `${base}/endless`,
    pagination: 'next-url',
    itemsPath: 'data',
    nextUrlPath: 'paging.next',
    maxPages: 4,
  });
  expect(out).toMatchObject({ pages: 4, truncated: true, items: [{ page: 1 }, { page: 2 }, { page: 3 }, { page: 4 }] });
  expect(seen).toHaveLength(4);
});

test('wrong pagination params are refused before any request, naming the field', async () => {
  await expect(call({ pagination: 'cursor', cursorPath: 'next', cursorParam: '' })).rejects.toThrow(
    'Cursor parameter is required',
  );
  await expect(call({ pagination: 'next-url', nextUrlPath: 'a..b' })).rejects.toThrow(
    'Next URL path must be a dot path',
  );
  await expect(call({ pagination: 'offset', offsetParam: 'offset', pageSize: 0 })).rejects.toThrow('Page size');
  expect(seen).toEqual([]);
  // An items path that names no list on a page fails naming Items path; one that is absent is an empty page.
  await expect(
    call({ url: `${base}/next`, pagination: 'next-url', itemsPath: 'paging', nextUrlPath: 'paging.next' }),
  ).rejects.toThrow('page 1 has no list at Items path "paging"');
});

test('with a credential, a next page on another origin is refused: the credential would go along', () => {
  const page = { url: new URL(`${base}/x`), body: { next: 'https://elsewhere.example/steal?page=2' } };
  const p = { pagination: 'next-url' as const, nextUrlPath: 'next' };
  expect(() => nextPageUrl(page, [], p, { origin: new URL(base).origin, credentials: true })).toThrow(
    'the credential is only sent to the first request’s origin',
  );
  expect(nextPageUrl(page, [], p, { origin: new URL(base).origin, credentials: false })?.href).toBe(
    'https://elsewhere.example/steal?page=2',
  );
  expect(() =>
    nextPageUrl({ ...page, body: { next: 'file:///etc/passwd' } }, [], p, { origin: base, credentials: false }),
  ).toThrow('not http(s)');
});
