// A sign-in to a website for the Browser node (docs/decisions/055): its steps write `$credential.username`,
// `$credential.password` and `$credential.totp` in a value, replaced inside the activity, never in expressions.
import { defineCredentialType, field } from './define';

const BASE32 = /^[A-Z2-7]+=*$/;

/** The TOTP secret as the RFC 4648 base32 it is written in, spaces and case aside (as authenticator apps show it). */
export function normalizeBase32(secret: string): string {
  return secret.replace(/\s+/g, '').toUpperCase();
}

export function isBase32(secret: string): boolean {
  return BASE32.test(normalizeBase32(secret));
}

export const websiteLogin = defineCredentialType({
  type: 'website-login',
  title: 'Website login',
  description: 'A user name, password and optional 2FA secret a Browser node types into a sign-in form.',
  fields: {
    username: field.text({ label: 'User name or email', required: true, maxLength: 1024 }),
    password: field.secret({ label: 'Password', required: true, maxLength: 1024 }),
    totpSecret: field.secret({
      label: '2FA secret (TOTP)',
      description:
        'The base32 key shown under the QR code when 2FA is set up ("enter this code manually"); steps then type ' +
        'the current 6-digit code with $credential.totp.',
      maxLength: 256,
    }),
  },
  // Nothing to connect to (the sign-in happens in a Browser step): the check is that the 2FA secret can make codes.
  test: async (values) => {
    if (values.totpSecret && !isBase32(values.totpSecret))
      return { ok: false, message: '2FA secret is not base32 (letters A–Z and digits 2–7): copy the key again' };
    return {
      ok: true,
      message: values.totpSecret
        ? 'The 2FA secret is valid base32. The sign-in itself is checked when a Browser step uses it.'
        : 'Nothing to connect to: the sign-in is checked when a Browser step uses it.',
    };
  },
});
