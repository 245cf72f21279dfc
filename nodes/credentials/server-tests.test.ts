// "Test connection" of the server credential types over real loopback TCP: an SMTP server's greeting and EHLO
// (RFC 5321), PostgreSQL's answer to an SSLRequest, and MySQL's initial handshake or error packet. Each passes
// against a server that speaks the protocol and fails, saying what to check, against one that does not.
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

describe('PostgreSQL', () => {
  const values = (port: number) => ({ host: '127.0.0.1', port, database: 'hr', user: 'reader', password: 'pw-2b7e' });

  test('a server that answers the SSLRequest passes, saying only the connection was tested', async () => {
    const requests: string[] = [];
    const port = await serve((socket) =>
      socket.once('data', (chunk: Buffer) => {
        requests.push(chunk.toString('hex'));
        socket.write('N'); // no TLS on this server
      }),
    );
    expect(await check('postgres', values(port))).toEqual({
      ok: true,
      message:
        `PostgreSQL answers at 127.0.0.1:${port} (without TLS). Only the connection was tested: the user, ` +
        'password and database are not checked yet.',
    });
    expect(requests).toEqual(['0000000804d2162f']);
  });

  test('a server that answers otherwise fails', async () => {
    const port = await serve((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    expect(await check('postgres', values(port))).toEqual({
      ok: false,
      message: `127.0.0.1:${port} answered, but not as PostgreSQL does; check the host and port.`,
    });
  });
});

describe('MySQL', () => {
  const values = (port: number) => ({ host: '127.0.0.1', port, database: 'hr', user: 'reader', password: 'pw-5a0f' });
  const packet = (payload: Buffer) => {
    const header = Buffer.alloc(4);
    header.writeUIntLE(payload.length, 0, 3);
    return Buffer.concat([header, payload]);
  };

  test('a server that sends a protocol 10 handshake passes', async () => {
    const handshake = Buffer.concat([
      Buffer.from([10]),
      Buffer.from('8.0.36\0', 'latin1'),
      Buffer.from([1, 0, 0, 0]), // connection id
      Buffer.from('abcdefgh\0', 'latin1'), // first part of the auth challenge, filler
      Buffer.from([0xff, 0xf7, 0xff, 0x02, 0x00, 0xff, 0xdf, 21]), // capabilities, charset, status, length
      Buffer.alloc(10),
      Buffer.from('ijklmnopqrst\0caching_sha2_password\0', 'latin1'),
    ]);
    const port = await serve((socket) => socket.write(packet(handshake)));
    expect(await check('mysql', values(port))).toEqual({
      ok: true,
      message:
        `MySQL 8.0.36 answers at 127.0.0.1:${port}. Only the connection was tested: the user, password and ` +
        'database are not checked yet.',
    });
  });

  test('an error packet instead of a handshake fails with the server’s message', async () => {
    const refusal = Buffer.concat([
      Buffer.from([0xff, 0x6a, 0x04]), // ER_HOST_NOT_PRIVILEGED (1130)
      Buffer.from("Host '10.0.0.5' is not allowed to connect to this MySQL server", 'utf8'),
    ]);
    const port = await serve((socket) => socket.end(packet(refusal)));
    expect(await check('mysql', values(port))).toEqual({
      ok: false,
      message: `MySQL at 127.0.0.1:${port} refused the connection: Host '10.0.0.5' is not allowed to connect to this MySQL server`,
    });
  });
});
