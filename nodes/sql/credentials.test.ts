// "Test connection" of PostgreSQL and MySQL credentials against the real servers: a login and a SELECT in the
// credential's database pass; a refused login, a missing database, a closed port and a server that is not a database
// fail saying what to check; the password never shows; the connection goes through the destination guard.
import net from 'node:net';
import { mysqlTestDatabase, postgresTestDatabase, type TestDatabase } from '../../test/sql-servers';
import { credentialType } from '../credentials/index';
import { testCredential } from '../credentials/test-connection';

let postgres: TestDatabase;
let mysql: TestDatabase;
const servers: net.Server[] = [];

beforeAll(async () => {
  [postgres, mysql] = await Promise.all([postgresTestDatabase('cred_pg'), mysqlTestDatabase('cred_my')]);
}, 120_000);
afterAll(async () => {
  await Promise.all([postgres?.drop(), mysql?.drop()]);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const check = (type: 'postgres' | 'mysql', values: Record<string, unknown>) =>
  testCredential(credentialType(type)!, values);

/** A loopback port that answers like no database does, then hangs up. */
async function notADatabase(): Promise<number> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.resume(); // read what the client sends, so its close is seen
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('PostgreSQL', () => {
  test('logs in and runs SELECT 1 in the database', async () => {
    const { host, port, database, user } = postgres.credential;
    expect(await check('postgres', postgres.credential)).toEqual({
      ok: true,
      message: expect.stringMatching(
        new RegExp(
          `^Logged in to PostgreSQL at ${host}:${port}/${database} as ${user} \\(server \\d+\\.\\d+.*\\); SELECT 1 answered\\.$`,
        ),
      ),
    });
  });

  test('a missing database or role, a closed port and a port that is not PostgreSQL fail saying so', async () => {
    const { port } = postgres.credential;
    expect(await check('postgres', { ...postgres.credential, database: 'no_such_db' })).toEqual({
      ok: false,
      message: `PostgreSQL at 127.0.0.1:${port}/no_such_db refused the login: database "no_such_db" does not exist [3D000]; check the user, password and database.`,
    });
    expect(await check('postgres', { ...postgres.credential, user: 'nobody' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/refused the login: role "nobody" does not exist \[28000\]/),
    });
    const closed = await closedPort();
    expect(await check('postgres', { ...postgres.credential, port: closed })).toEqual({
      ok: false,
      message: `Could not talk to PostgreSQL at 127.0.0.1:${closed}/${postgres.credential.database}: ECONNREFUSED`,
    });
    const other = await check('postgres', { ...postgres.credential, port: await notADatabase() });
    expect(other).toMatchObject({ ok: false, message: expect.stringMatching(/^Could not talk to PostgreSQL at /) });
  });
});

describe('MySQL', () => {
  test('logs in and runs SELECT 1 in the database', async () => {
    const { host, port, database, user } = mysql.credential;
    expect(await check('mysql', mysql.credential)).toEqual({
      ok: true,
      message: expect.stringMatching(
        new RegExp(
          `^Logged in to MySQL at ${host}:${port}/${database} as ${user} \\(server .*MariaDB.*\\); SELECT 1 answered\\.$`,
        ),
      ),
    });
  });

  test('a wrong password fails without showing it; a closed port and a port that is not MySQL fail', async () => {
    const password = 'pw-5a0f-not-the-password';
    const refused = await check('mysql', { ...mysql.credential, password });
    expect(refused).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^MySQL at .* refused the login: Access denied for user 'baton'@'127\.0\.0\.1' \(using password: YES\) \[ER_ACCESS_DENIED_ERROR\]; check the user, password and database\.$/,
      ),
    });
    expect(refused.message).not.toContain(password);
    const closed = await closedPort();
    expect(await check('mysql', { ...mysql.credential, port: closed })).toEqual({
      ok: false,
      message: `Could not talk to MySQL at 127.0.0.1:${closed}/${mysql.credential.database}: ECONNREFUSED`,
    });
    const other = await check('mysql', { ...mysql.credential, port: await notADatabase() });
    expect(other).toMatchObject({ ok: false, message: expect.stringMatching(/^Could not talk to MySQL at /) });
  });
});

test('the connection goes through the destination guard', async () => {
  const saved = process.env.BATON_HTTP_ALLOW_HOSTS;
  process.env.BATON_HTTP_ALLOW_HOSTS = '';
  try {
    for (const [type, values] of [
      ['postgres', postgres.credential],
      ['mysql', mysql.credential],
    ] as const) {
      const result = await check(type, values);
      expect(result).toEqual({
        ok: false,
        message: expect.stringMatching(/^HTTP request blocked: 127\.0\.0\.1 is a loopback address/),
      });
    }
  } finally {
    process.env.BATON_HTTP_ALLOW_HOSTS = saved;
  }
});
