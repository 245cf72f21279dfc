// A PostgreSQL database. Baton has no PostgreSQL driver yet, so the test only checks that the host and port answer
// as PostgreSQL does (its reply to an SSLRequest); user name, password and database are not checked.
import { defineCredentialType, field } from './define';

/** The SSLRequest message: length 8, then the magic code 80877103 (PostgreSQL protocol, "SSL Session Encryption"). */
const SSL_REQUEST = new Uint8Array([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

export const postgres = defineCredentialType({
  type: 'postgres',
  title: 'PostgreSQL',
  description: 'A PostgreSQL database server and the account to connect with.',
  fields: {
    host: field.host({ label: 'Host', placeholder: 'db.example.com' }),
    port: field.port({ label: 'Port', default: 5432 }),
    database: field.text({ label: 'Database', required: true, maxLength: 63 }),
    user: field.text({ label: 'User', required: true, maxLength: 63 }),
    password: field.secret({ label: 'Password' }),
  },
  async test(values, ctx) {
    const where = `${values.host}:${values.port}`;
    const conn = await ctx.tcp({ host: values.host, port: values.port });
    try {
      conn.write(SSL_REQUEST);
      const answer = String.fromCharCode((await conn.read(() => 1))[0]);
      if (answer !== 'S' && answer !== 'N') {
        return { ok: false, message: `${where} answered, but not as PostgreSQL does; check the host and port.` };
      }
      return {
        ok: true,
        message:
          `PostgreSQL answers at ${where} (${answer === 'S' ? 'it offers TLS' : 'without TLS'}). Only the connection ` +
          'was tested: the user, password and database are not checked yet.',
      };
    } finally {
      conn.close();
    }
  },
});
