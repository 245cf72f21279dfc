// "Test connection" of a CalDAV credential against a real Radicale: the right password lists the account's calendars,
// a wrong one is a refused login whose message holds no password, and a server that is not CalDAV says so.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { caldavAccount, ensureRadicale, makeCalendar, type Radicale } from '../../test/radicale';
import { credentialType } from './index';
import { testCredential } from './test-connection';

let radicale: Radicale;
beforeAll(async () => {
  radicale = await ensureRadicale();
}, 180_000);
afterAll(async () => {
  await radicale?.stop();
});

const check = (values: Record<string, unknown>) => testCredential(credentialType('caldav')!, values);

test('the right user name and password list the calendars', async () => {
  const made = await makeCalendar('credential');
  const result = await check(caldavAccount());
  expect(result.ok).toBe(true);
  const count = Number(
    /^Logged in to http:\/\/127\.0\.0\.1:\d+ as baton: (\d+) calendars \(/.exec(result.message)?.[1],
  );
  expect(count).toBeGreaterThanOrEqual(1);
  // The message names the first ten calendars; a Radicale kept across runs may hold more than that.
  if (count <= 10) expect(result.message).toContain(`"${made.displayName}"`);
  else expect(result.message).toContain(` and ${count - 10} more).`);
});

test('a wrong password is a refused login, and the message holds neither it nor its Basic header', async () => {
  const password = 'not-the-password-4711';
  const result = await check({ ...caldavAccount(), password });
  expect(result.ok).toBe(false);
  expect(result.message).toMatch(/refused the user name or password \(HTTP 401 .*\); check the user name and password/);
  expect(result.message).not.toContain(password);
  expect(result.message).not.toContain(Buffer.from(`baton:${password}`).toString('base64'));
});

test('a web server that is not CalDAV fails, saying what it answered', async () => {
  const server = http.createServer((_req, res) =>
    res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>No</h1>'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const result = await check({ serverUrl: `http://127.0.0.1:${port}/`, username: 'u', password: 'pw-123456' });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(
      new RegExp(
        `^Could not use the CalDAV server http://127\\.0\\.0\\.1:${port} .*: it does not answer as a CalDAV server`,
      ),
    );
    expect(result.message).toMatch(/check the server URL$/);
  } finally {
    server.close();
  }
});

test('internal hosts are refused unless BATON_HTTP_ALLOW_HOSTS allows them', async () => {
  const allowed = process.env.BATON_HTTP_ALLOW_HOSTS;
  process.env.BATON_HTTP_ALLOW_HOSTS = '';
  try {
    const result = await check(caldavAccount());
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/127\.0\.0\.1 is a loopback address/) });
  } finally {
    process.env.BATON_HTTP_ALLOW_HOSTS = allowed;
  }
});
