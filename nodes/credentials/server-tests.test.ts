// "Test connection" of the SMTP credential type over real loopback TCP: an SMTP server's greeting and EHLO (RFC 5321).
// It passes against a server that speaks the protocol and fails, saying what to check, against one that does not.
// (PostgreSQL and MySQL log in to real servers: nodes/sql/credentials.test.ts.)
import net from 'node:net';
import { credentialType } from './index';
import { testCredential } from './test-connection';

const servers: net.Server[] = [];

/** A loopback TCP server; `onConnection` speaks the protocol. Returns its port. */
async function serve(onConnection: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined); // the client hangs up as soon as it has its answer
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A port that was just free: nothing listens there. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const check = (type: string, values: Record<string, unknown>, timeoutMs?: number) =>
  testCredential(credentialType(type)!, values, { timeoutMs });

/** Answers line by line, as an SMTP server does; records what the client sent. */
function smtpServer(greeting: string, heard: string[]) {
  return (socket: net.Socket) => {
    socket.write(greeting);
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let end = buffered.indexOf('\r\n'); end !== -1; end = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        heard.push(line);
        if (line.startsWith('EHLO')) {
          socket.write('250-mail.example.test Hello\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n');
        } else if (line === 'QUIT') socket.end('221 2.0.0 Bye\r\n');
      }
    });
  };
}

describe('SMTP', () => {
  const values = (port: number, secure = false) => ({
    host: '127.0.0.1',
    port,
    secure,
    user: 'hr',
    password: 'pw-9d1c',
  });

  test('a server that greets and answers EHLO passes, without a login and without mail', async () => {
    const heard: string[] = [];
    const port = await serve(smtpServer('220 mail.example.test ESMTP ready\r\n', heard));
    expect(await check('smtp', values(port))).toEqual({
      ok: true,
      message:
        `SMTP server 127.0.0.1:${port} answered (mail.example.test ESMTP ready); it offers STARTTLS, ` +
        'login with PLAIN LOGIN. The user name and password are not checked: that needs a login, which this ' +
        'test does not do.',
    });
    expect(heard).toEqual(['EHLO baton.invalid', 'QUIT']);
  });

  test('a server that refuses service, or is not SMTP, fails', async () => {
    const busy = await serve(smtpServer('554 5.3.2 Service unavailable\r\n', []));
    expect(await check('smtp', values(busy))).toEqual({
      ok: false,
      message: `127.0.0.1:${busy} answered "554 5.3.2 Service unavailable", not an SMTP greeting (220); check the host and port.`,
    });
    const silent = await serve(() => undefined); // an HTTP server waits for the client to speak first
    expect(await check('smtp', values(silent), 500)).toEqual({
      ok: false,
      message: `127.0.0.1:${silent} did not greet, not an SMTP greeting (220); check the host and port.`,
    });
  });

  test('TLS from the start against a plain server, and a closed port, fail naming the address', async () => {
    const plain = await serve(smtpServer('220 plain ESMTP\r\n', []));
    const tls = await check('smtp', values(plain, true));
    expect(tls.ok).toBe(false);
    expect(tls.message).toMatch(new RegExp(`^Could not open a TLS connection to 127\\.0\\.0\\.1:${plain}: `));
    const closed = await closedPort();
    expect(await check('smtp', values(closed))).toEqual({
      ok: false,
      message: `Could not connect to 127.0.0.1:${closed}: ECONNREFUSED`,
    });
  });

  test('the connection goes through the destination guard', async () => {
    const saved = process.env.BATON_HTTP_ALLOW_HOSTS;
    process.env.BATON_HTTP_ALLOW_HOSTS = '';
    try {
      const result = await check('smtp', values(25));
      expect(result.ok).toBe(false);
      expect(result.message).toMatch(/^HTTP request blocked: 127\.0\.0\.1 is a loopback address/);
    } finally {
      process.env.BATON_HTTP_ALLOW_HOSTS = saved;
    }
  });
});
