// A MySQL or MariaDB database. Baton has no MySQL driver yet, so the test only reads the server's handshake (the
// server speaks first); user name, password and database are not checked.
import { defineCredentialType, field } from './define';

/** One protocol packet: 3-byte little-endian length, sequence id, payload. */
function wholePacket(received: Buffer): number | undefined {
  if (received.length < 4) return undefined;
  const length = 4 + received.readUIntLE(0, 3);
  return received.length >= length ? length : undefined;
}

export const mysql = defineCredentialType({
  type: 'mysql',
  title: 'MySQL',
  description: 'A MySQL or MariaDB database server and the account to connect with.',
  fields: {
    host: field.host({ label: 'Host', placeholder: 'db.example.com' }),
    port: field.port({ label: 'Port', default: 3306 }),
    database: field.text({ label: 'Database', required: true, maxLength: 64 }),
    user: field.text({ label: 'User', required: true, maxLength: 80 }),
    password: field.secret({ label: 'Password' }),
  },
  async test(values, ctx) {
    const where = `${values.host}:${values.port}`;
    const conn = await ctx.tcp({ host: values.host, port: values.port });
    try {
      const payload = (await conn.read(wholePacket)).subarray(4);
      if (payload[0] === 0xff) {
        // An error packet before the handshake (too many connections, host not allowed): code, then the message.
        const message = payload
          .subarray(3)
          .toString('utf8')
          .replace(/^#\w{5}/, '');
        return { ok: false, message: `MySQL at ${where} refused the connection: ${message}` };
      }
      if (payload[0] !== 10) {
        return { ok: false, message: `${where} answered, but not with a MySQL handshake; check the host and port.` };
      }
      const version = payload.subarray(1, payload.indexOf(0, 1)).toString('latin1');
      return {
        ok: true,
        message:
          `MySQL ${version} answers at ${where}. Only the connection was tested: the user, password and ` +
          'database are not checked yet.',
      };
    } finally {
      conn.close();
    }
  },
});
