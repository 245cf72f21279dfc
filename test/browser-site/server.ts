// A small real website on loopback for Browser node tests: a login form that applies a submission once per
// idempotency key (and counts every one), a paginated table, a slow page, a page that fills itself by script, an
// iframe, a CSV download and a big one, a file upload form, a 2FA code form, a popup, a cross-origin fetch and a
// redirect (/redirect?to=…).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { totp } from '../../nodes/browser/totp';

export interface BrowserSite {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** How many times the login form was submitted with this idempotency key (header, else the hidden field). */
  submissions(key: string): number;
  /** How many times a sign-in with this key took effect: 0 or 1, a repeated submission is answered, not applied. */
  applied(key: string): number;
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
  // The sign-in form inside an iframe of the same origin, and inside one of another origin (localhost for 127.0.0.1).
  '/frame-form': () =>
    page(
      'Embedded sign-in',
      `<h1>Embedded</h1><iframe title="Sign in" src="/login" width="600" height="300"></iframe>`,
    ),
  '/frame-cross': () =>
    page(
      'Cross-origin sign-in',
      `<h1>Embedded elsewhere</h1><script>const f = document.createElement('iframe'); f.name = 'partner';
        f.width = 600; f.height = 300; f.src = location.href.replace('127.0.0.1', 'localhost').replace('/frame-cross', '/login');
        document.body.append(f);</script>`,
    ),
  '/download': () =>
    page(
      'Download',
      `<a href="/people.csv" download>Download CSV</a> <a href="/big.bin" download>Download big file</a>`,
    ),
  '/upload': () =>
    page(
      'Upload',
      `<form method="post" action="/upload" enctype="multipart/form-data">
        <label>Attachment <input name="attachment" type="file"></label>
        <button type="submit">Send</button></form>`,
    ),
  '/popup': () =>
    page(
      'Popup',
      `<a href="/popup-target" target="_blank">Open details</a>
      <button onclick="window.open('/popup-target?via=script')">Open by script</button>`,
    ),
  // A fetch to another origin (localhost for 127.0.0.1) whose CORS allows no extra request header.
  '/cors': () =>
    page(
      'Cross-origin',
      `<p id="echo">…</p><script>
        fetch(location.href.replace('127.0.0.1', 'localhost').replace('/cors', '/echo-key'), { method: 'POST', body: 'x' })
          .then((r) => r.text(), (e) => 'failed: ' + e.message)
          .then((text) => { document.getElementById('echo').textContent = text; });</script>`,
    ),
  '/2fa': () =>
    page(
      'Two-factor',
      `<form method="post" action="/2fa"><label>Code <input name="code" inputmode="numeric"></label>
        <button type="submit">Verify</button></form>`,
    ),
  '/popup-target': () => page('Details', `<h1>Details</h1><p id="detail">Opened in a new window</p>`),
};

/** The 2FA secret of the /2fa page (base32, as a site shows it for an authenticator app). */
export const SITE_TOTP_SECRET = 'JBSWY3DPEHPK3PXP';

/** The size of the big download: over a 1 MB cap. */
export const BIG_DOWNLOAD_BYTES = 3 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The first file part of a multipart/form-data body: its file name and size (enough for the upload page). */
function uploadedFile(contentType: string, body: Buffer): { name: string; bytes: number } | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  for (let at = body.indexOf(delimiter); at >= 0;) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(at + delimiter.length + 2, next - 2); // between the CRLFs around the part
    const headerEnd = part.indexOf('\r\n\r\n');
    const name = /filename="([^"]*)"/.exec(part.subarray(0, headerEnd).toString('utf8'));
    if (headerEnd >= 0 && name) return { name: name[1], bytes: part.length - headerEnd - 4 };
    at = next;
  }
  return undefined;
}

/** Sign-ins per idempotency key: every submission is counted, a successful one takes effect once. */
function loginDesk() {
  const counts = new Map<string, number>();
  const applied = new Set<string>();
  return {
    counts,
    applied,
    submit(key: string, form: URLSearchParams): { status: number; html: string } {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const ok = form.get('email') === 'ada@example.com' && form.get('password') === 'analytical';
      if (!ok) return { status: 401, html: page('Sign in failed', '<h1>Wrong password</h1>') };
      // A repeated submission with an applied key gets the same answer, without signing in again.
      if (key !== '') applied.add(key);
      return { status: 200, html: page('Welcome', '<h1>Welcome, Ada</h1>') };
    },
  };
}

export async function startBrowserSite(): Promise<BrowserSite> {
  const logins = loginDesk();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://site');
    if (req.method === 'POST' && url.pathname === '/login') {
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      const header = req.headers['idempotency-key'];
      const answer = logins.submit(
        typeof header === 'string' && header !== '' ? header : (form.get('key') ?? ''),
        form,
      );
      res.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(answer.html);
    }
    if (req.method === 'POST' && url.pathname === '/2fa') {
      const code = new URLSearchParams((await readBody(req)).toString('utf8')).get('code');
      // The current code, or the previous one (a code typed as its 30 seconds end), as sites accept.
      const ok = [Date.now(), Date.now() - 30_000].some((at) => totp(SITE_TOTP_SECRET, at) === code);
      res.writeHead(ok ? 200 : 401, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page(ok ? 'Verified' : 'Wrong code', ok ? '<h1>Verified</h1>' : '<h1>Wrong code</h1>'));
    }
    if (req.method === 'POST' && url.pathname === '/upload') {
      const file = uploadedFile(req.headers['content-type'] ?? '', await readBody(req));
      res.writeHead(file ? 200 : 400, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(
        page('Received', file ? `<p id="received">${escape(file.name)} (${file.bytes} bytes)</p>` : '<p>No file</p>'),
      );
    }
    if (url.pathname === '/echo-key') {
      const cors = { 'access-control-allow-origin': '*', 'content-type': 'text/plain' };
      res.writeHead(req.method === 'OPTIONS' ? 204 : 200, cors);
      return res.end(req.method === 'OPTIONS' ? '' : `key ${req.headers['idempotency-key'] ?? 'missing'}`);
    }
    if (url.pathname === '/big.bin') {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-disposition': 'attachment; filename="big.bin"',
        'content-length': String(BIG_DOWNLOAD_BYTES),
      });
      return res.end(Buffer.alloc(BIG_DOWNLOAD_BYTES, 7));
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
    submissions: (key) => logins.counts.get(key) ?? 0,
    applied: (key) => (logins.applied.has(key) ? 1 : 0),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
