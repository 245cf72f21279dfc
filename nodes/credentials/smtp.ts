// An SMTP server to send mail through. The test checks that the server speaks SMTP (greeting, EHLO) and says what
// it offers; it sends no mail and does not log in, so the user name and password are not checked.
import { defineCredentialType, field, type TcpConversation } from './define';

/** Bytes up to the end of the last line of a reply (RFC 5321 §4.2: `250-…` lines continue, `250 …` ends). */
function wholeReply(received: Buffer): number | undefined {
  const text = received.toString('latin1');
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; start = end + 1, end = text.indexOf('\n', start)) {
    if (/^\d{3}(?: |\r?$)/.test(text.slice(start, end))) return end + 1;
  }
  return undefined;
}

async function reply(conn: TcpConversation): Promise<{ code: number; lines: string[] }> {
  const lines = (await conn.read(wholeReply)).toString('utf8').trimEnd().split(/\r?\n/);
  return { code: Number(lines[0].slice(0, 3)), lines: lines.map((line) => line.slice(4)) };
}

export const smtp = defineCredentialType({
  type: 'smtp',
  title: 'SMTP',
  description: 'A mail server to send email through.',
  fields: {
    host: field.host({ label: 'Host', placeholder: 'smtp.example.com' }),
    port: field.port({ label: 'Port', default: 587 }),
    secure: field.boolean({
      label: 'TLS from the start',
      description: 'On for port 465 (SMTPS). Off: a plain connection that is upgraded with STARTTLS.',
      default: false,
    }),
    user: field.text({ label: 'User name', maxLength: 1024 }),
    password: field.secret({ label: 'Password' }),
    from: field.text({
      label: 'From',
      description: 'The sender of mail sent with this credential when a node names none.',
      placeholder: 'HR <hr@acme.com>',
      maxLength: 1024,
    }),
  },
  async test(values, ctx) {
    const where = `${values.host}:${values.port}`;
    const conn = await ctx.tcp({ host: values.host, port: values.port, tls: values.secure });
    try {
      const greeting = await reply(conn).catch(() => ({ code: 0, lines: [] }));
      if (greeting.code !== 220) {
        const said = greeting.lines.length ? `answered "${greeting.code} ${greeting.lines[0]}"` : 'did not greet';
        return { ok: false, message: `${where} ${said}, not an SMTP greeting (220); check the host and port.` };
      }
      conn.write('EHLO baton.invalid\r\n');
      const ehlo = await reply(conn);
      conn.write('QUIT\r\n');
      await reply(conn).catch(() => undefined); // 221; only so QUIT is sent before the socket closes
      if (ehlo.code !== 250) {
        return { ok: false, message: `SMTP server ${where} refused EHLO: ${ehlo.code} ${ehlo.lines.join(' ')}` };
      }
      const offers = ehlo.lines.slice(1).map((line) => line.toUpperCase());
      const auth = offers
        .find((line) => line.startsWith('AUTH'))
        ?.slice(5)
        .trim();
      const features = [
        offers.includes('STARTTLS') ? 'STARTTLS' : values.secure ? 'TLS' : 'no TLS',
        auth ? `login with ${auth}` : 'no login',
      ];
      return {
        ok: true,
        message:
          `SMTP server ${where} answered (${greeting.lines[0]}); it offers ${features.join(', ')}. ` +
          'The user name and password are not checked: that needs a login, which this test does not do.',
      };
    } finally {
      conn.close();
    }
  },
});
