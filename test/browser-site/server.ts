// A small real website on loopback for Browser node tests: a login form that counts submissions per idempotency
// key, a paginated table, a slow page, a page that fills itself by script, an iframe, a CSV download and a redirect
// (/redirect?to=…).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BrowserSite {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** How many times the login form was submitted with this idempotency key. */
  submissions(key: string): number;
  close(): Promise<void>;
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const PEOPLE = [
  ['Ada Lovelace', 'Engineering', '1815'],
  ['Grace Hopper', 'Navy', '1906'],
  ['Alan Turing', 'Mathematics', '1912'],
  ['Katherine Johnson', 'NASA', '1918'],
];

function tablePage(n: number): string {
  const rows = PEOPLE.slice((n - 1) * 2, n * 2)
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('');
  const next = n === 1 ? '<a href="/people?page=2">Next</a>' : '<span>Last page</span>';
  return page(
    `People ${n}`,
    `<table id="people"><thead><tr><th>Name</th><th>Team</th><th>Born</th></tr></thead><tbody>${rows}</tbody></table>${next}`,
  );
}

const PAGES: Partial<Record<string, (url: URL) => string>> = {
  '/login': (url) =>
    page(
      'Sign in',
      `<form method="post" action="/login">
        <input type="hidden" name="key" value="${escape(url.searchParams.get('key') ?? '')}">
        <label>Email <input name="email" type="email"></label>
        <label>Password <input name="password" type="password"></label>
        <button type="submit">Sign in</button></form>`,
    ),
  '/people': (url) => tablePage(url.searchParams.get('page') === '2' ? 2 : 1),
  '/slow': () =>
    page(
      'Slow',
      `<p>Loading…</p><script>setTimeout(() => {
        const p = document.createElement('p'); p.id = 'ready'; p.textContent = 'Ready at last';
        document.body.append(p); }, 1500);</script>`,
    ),
  '/dynamic': () =>
    page(
      'Products',
      `<ul id="products"></ul><script>setTimeout(() => {
        for (const [name, price, href] of [['Lamp', '12.50', '/p/lamp'], ['Desk', '120.00', '/p/desk'], ['Chair', '45.00', '/p/chair']]) {
          const li = document.createElement('li'); li.className = 'product';
          li.innerHTML = '<a class="name" href="' + href + '">' + name + '</a> <span class="price">' + price + '</span>';
          document.getElementById('products').append(li);
        }}, 300);</script>`,
    ),
  '/frame': () => page('Frame', `<h1>Outer</h1><iframe id="embed" src="/frame-inner"></iframe>`),
  '/frame-inner': () => page('Inner', `<p data-testid="inner">Inside the frame</p>`),
  '/download': () => page('Download', `<a href="/people.csv" download>Download CSV</a>`),
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startBrowserSite(): Promise<BrowserSite> {
  const counts = new Map<string, number>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://site');
    if (req.method === 'POST' && url.pathname === '/login') {
      const form = new URLSearchParams(await readBody(req));
      const key = form.get('key') ?? '';
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const ok = form.get('email') === 'ada@example.com' && form.get('password') === 'analytical';
      res.writeHead(ok ? 200 : 401, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(ok ? page('Welcome', '<h1>Welcome, Ada</h1>') : page('Sign in failed', '<h1>Wrong password</h1>'));
    }
    if (url.pathname === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
      return res.end();
    }
    if (url.pathname === '/people.csv') {
      res.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="people.csv"' });
      return res.end(['name,team', ...PEOPLE.map((r) => `${r[0]},${r[1]}`)].join('\n') + '\n');
    }
    const render = PAGES[url.pathname];
    res.writeHead(render ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(render ? render(url) : page('Not found', '<h1>Not found</h1>'));
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    submissions: (key) => counts.get(key) ?? 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
