// Test helper (sessions.test.ts, workflow.test.ts): a small local site that signs in with an HttpOnly cookie and
// remembers a note in local storage, so a saved browser session shows both halves of the state being restored. It
// counts sign-ins, so a run that starts signed in visibly did not sign in again.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserStep } from '../spec';

export interface MembersSite {
  url: string;
  /** Sign-ins that took effect (the right password posted), in all. */
  logins: number;
  /** Every session cookie value the site issued. */
  issued: string[];
  close(): Promise<void>;
}

export const MEMBERS_PASSWORD = 'open-sesame';

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

const SIGN_IN_FORM = page(
  'Sign in',
  `<h1>Sign in</h1><form method="post" action="/login">
    <label>Password <input name="password" type="password"></label>
    <button type="submit">Sign in</button></form>`,
);

const MEMBERS = page(
  'Members',
  `<h1>Members</h1><p id="plan">Gold plan</p><p id="note">none</p>
  <script>document.getElementById('note').textContent = localStorage.getItem('note') ?? 'none'</script>`,
);

function cookieOf(req: IncomingMessage): string | undefined {
  return /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
}

export async function startMembersSite(): Promise<MembersSite> {
  const signedIn = new Set<string>();
  const site: MembersSite = { url: '', logins: 0, issued: [], close: async () => undefined };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const html = (status: number, body: string, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...headers }).end(body);
    if (url.pathname === '/login' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        if (new URLSearchParams(body).get('password') !== MEMBERS_PASSWORD)
          return html(401, page('Sign in', '<h1>Wrong password</h1>'));
        site.logins++;
        const sid = randomUUID();
        signedIn.add(sid);
        site.issued.push(sid);
        html(200, page('Signed in', `<h1>Signed in</h1><script>localStorage.setItem('note', 'remembered')</script>`), {
          'Set-Cookie': `sid=${sid}; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600`,
        });
      });
      return;
    }
    if (url.pathname === '/login') return html(200, SIGN_IN_FORM);
    if (url.pathname === '/members') {
      const sid = cookieOf(req);
      return sid && signedIn.has(sid) ? html(200, MEMBERS) : html(302, '', { Location: '/login' });
    }
    html(404, page('Not found', '<h1>Not found</h1>'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site.close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return site;
}

/** Signs in through the form (the note goes into local storage as the welcome page loads). */
export const signIn = (site: MembersSite): BrowserStep[] => [
  { action: 'goto', target: `${site.url}/login` },
  { action: 'fill', target: 'label=Password', value: MEMBERS_PASSWORD },
  { action: 'click', target: 'role=button[name="Sign in"]' },
  { action: 'assert', target: 'h1', value: 'Signed in' },
];

/** Opens the members' page: "Members" and the note when signed in, else the sign-in form's heading. */
export const readMembers = (site: MembersSite): BrowserStep[] => [
  { action: 'goto', target: `${site.url}/members` },
  { action: 'extractText', target: 'h1', name: 'heading' },
  { action: 'extractText', target: '#note', name: 'note' },
];
