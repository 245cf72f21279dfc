import { createHmac } from 'node:crypto';
import type { WebhookAuth } from '../triggers';
import { checkWebhookAuth, SeenSignatures, type SignedRequest } from './verify';

const NOW = 1_700_000_000_000;
const hmac: WebhookAuth = {
  kind: 'hmac',
  signatureHeader: 'X-Sig',
  timestampHeader: 'X-Ts',
  secret: 'hmac-secret',
  algorithm: 'sha256',
  toleranceSeconds: 300,
};
const sign = (timestamp: number, body: string, secret = 'hmac-secret', algorithm = 'sha256') =>
  createHmac(algorithm, secret).update(`${timestamp}.${body}`).digest('hex');
const request = (headers: Record<string, string>, body = '{"a":1}'): SignedRequest => ({
  headers,
  rawBody: Buffer.from(body),
});

function checker() {
  const replay = { seen: new SeenSignatures(), scope: 'wf/hook' };
  return (auth: WebhookAuth, req: SignedRequest, now = NOW) => checkWebhookAuth(auth, req, replay, now);
}

describe('HMAC signatures', () => {
  const ts = NOW / 1000;

  it('accepts a signature of "<timestamp>.<raw body>", bare or prefixed with the algorithm', () => {
    const check = checker();
    expect(check(hmac, request({ 'x-ts': String(ts), 'x-sig': sign(ts, '{"a":1}') }))).toEqual({ ok: true });
    const other = ts - 1;
    expect(check(hmac, request({ 'x-ts': String(other), 'x-sig': `sha256=${sign(other, '{"a":1}')}` }))).toEqual({
      ok: true,
    });
  });

  it('refuses a wrong secret, a changed body, a missing header and a malformed timestamp', () => {
    const check = checker();
    const refused = (req: SignedRequest) => check(hmac, req).ok;
    expect(refused(request({ 'x-ts': String(ts), 'x-sig': sign(ts, '{"a":1}', 'guess') }))).toBe(false);
    expect(refused(request({ 'x-ts': String(ts), 'x-sig': sign(ts, '{"a":1}') }, '{"a":2}'))).toBe(false);
    expect(refused(request({ 'x-ts': String(ts) }))).toBe(false);
    expect(refused(request({ 'x-sig': sign(ts, '{"a":1}') }))).toBe(false);
    expect(refused(request({ 'x-ts': `${ts}.5`, 'x-sig': sign(ts, '{"a":1}') }))).toBe(false);
    expect(refused(request({ 'x-ts': String(ts), 'x-sig': 'not-hex' }))).toBe(false);
  });

  it('refuses timestamps outside the tolerance, in either direction', () => {
    const check = checker();
    for (const at of [ts - 301, ts + 301]) {
      expect(check(hmac, request({ 'x-ts': String(at), 'x-sig': sign(at, '{"a":1}') }))).toEqual({
        ok: false,
        reason: expect.stringMatching(/300 s/),
      });
    }
    expect(check(hmac, request({ 'x-ts': String(ts - 300), 'x-sig': sign(ts - 300, '{"a":1}') })).ok).toBe(true);
  });

  it('accepts a signature once within the window; past the window the timestamp check refuses it', () => {
    const check = checker();
    const signed = request({ 'x-ts': String(ts), 'x-sig': sign(ts, '{"a":1}') });
    expect(check(hmac, signed)).toEqual({ ok: true });
    expect(check(hmac, signed, NOW + 299_000)).toEqual({ ok: false, reason: 'signature replayed' });
    expect(check(hmac, signed, NOW + 302_000)).toEqual({ ok: false, reason: expect.stringMatching(/300 s/) });
  });

  it('remembers a signature until it expires, for its scope only', () => {
    const seen = new SeenSignatures();
    expect(seen.remember('a\nsig', NOW + 1000, NOW)).toBe(true);
    expect(seen.remember('a\nsig', NOW + 1000, NOW + 999)).toBe(false);
    expect(seen.remember('b\nsig', NOW + 1000, NOW + 999)).toBe(true);
    expect(seen.remember('a\nsig', NOW + 1000, NOW + 1000)).toBe(true);
  });

  it('uses the configured algorithm', () => {
    const check = checker();
    const sha512: WebhookAuth = { ...hmac, algorithm: 'sha512' };
    expect(check(sha512, request({ 'x-ts': String(ts), 'x-sig': sign(ts, '{"a":1}') })).ok).toBe(false);
    expect(
      check(sha512, request({ 'x-ts': String(ts), 'x-sig': sign(ts, '{"a":1}', 'hmac-secret', 'sha512') })).ok,
    ).toBe(true);
  });
});

describe('shared secret and basic auth', () => {
  const header: WebhookAuth = { kind: 'header', header: 'X-Hook-Key', secret: 'open-sesame' };
  const basic: WebhookAuth = { kind: 'basic', user: 'hooks', password: 'p:ss' };
  const basicHeader = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('compares the shared secret header exactly', () => {
    const check = checker();
    expect(check(header, request({ 'x-hook-key': 'open-sesame' })).ok).toBe(true);
    expect(check(header, request({ 'x-hook-key': 'open-sesame!' })).ok).toBe(false);
    expect(check(header, request({})).ok).toBe(false);
  });

  it('checks user and password, with colons allowed in the password', () => {
    const check = checker();
    expect(check(basic, request({ authorization: basicHeader('hooks', 'p:ss') })).ok).toBe(true);
    expect(check(basic, request({ authorization: basicHeader('hooks', 'p:s') })).ok).toBe(false);
    expect(check(basic, request({ authorization: basicHeader('other', 'p:ss') })).ok).toBe(false);
    expect(check(basic, request({ authorization: 'Bearer x' })).ok).toBe(false);
  });

  it('refuses everything when auth is on but its secret is empty', () => {
    const check = checker();
    expect(check({ ...header, secret: '' }, request({ 'x-hook-key': '' }))).toEqual({
      ok: false,
      reason: expect.stringMatching(/no secret; set one/),
    });
    expect(check({ ...hmac, secret: '' }, request({ 'x-ts': '1', 'x-sig': sign(1, '{"a":1}', '') })).ok).toBe(false);
    expect(check({ ...basic, password: '' }, request({ authorization: basicHeader('hooks', '') })).ok).toBe(false);
  });
});
