// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits, the authenticator apps' default)
// for `$credential.totp` in Browser steps. Server-only: node:crypto.
import { createHmac } from 'node:crypto';
import { isBase32, normalizeBase32 } from '../credentials/website-login';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 to bytes; throws when the text is not base32. */
export function base32Decode(text: string): Buffer {
  if (!isBase32(text)) throw new Error('the 2FA secret is not base32 (letters A–Z and digits 2–7)');
  const bytes: number[] = [];
  let bits = 0;
  let buffer = 0;
  for (const char of normalizeBase32(text).replace(/=+$/, '')) {
    buffer = (buffer << 5) | ALPHABET.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** The HOTP value (RFC 4226) of `key` for `counter`, as `digits` decimal digits. */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(code % 10 ** digits).padStart(digits, '0');
}

/** The code an authenticator app shows at `nowMs` for the base32 `secret`. */
export function totp(secret: string, nowMs = Date.now(), digits = 6): string {
  return hotp(base32Decode(secret), Math.floor(nowMs / 1000 / 30), digits);
}
