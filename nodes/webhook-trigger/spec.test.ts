import { checkParams } from '../../ir/params';
import { matchesWebhook, normalizeWebhookPath, spec, webhookPayload, webhookSettings } from './spec';

const valid = (path: unknown) => spec.params.path.schema.safeParse(path).success;

describe('webhook-trigger', () => {
  it('accepts path segments of letters, digits, - and _', () => {
    for (const p of ['new-hire', 'hr/new_hire/2024', '/leading/', 'A']) expect([p, valid(p)]).toEqual([p, true]);
  });

  it('rejects traversal, empty segments, other characters and overlong paths', () => {
    for (const p of ['', '../x', 'a/../b', 'a//b', 'a b', 'a?x=1', 'a.json', '%2e%2e', 'x'.repeat(257), '/']) {
      expect([p, valid(p)]).toEqual([p, false]);
    }
  });

  it('normalizes slashes', () => {
    expect(normalizeWebhookPath('/a/b/')).toBe('a/b');
    expect(normalizeWebhookPath('a/../b')).toBeUndefined();
  });

  it('matches method and path', () => {
    const params = { path: 'new-hire', method: 'POST' } as const;
    expect(matchesWebhook(params, 'POST', 'new-hire')).toBe(true);
    expect(matchesWebhook(params, 'post', '/new-hire/')).toBe(true);
    expect(matchesWebhook(params, 'GET', 'new-hire')).toBe(false);
    expect(matchesWebhook(params, 'POST', 'new-hire/x')).toBe(false);
    expect(matchesWebhook(params, 'POST', 'New-Hire')).toBe(false);
    expect(matchesWebhook({ path: '../x' }, 'POST', '../x')).toBe(false);
  });

  it('defaults to POST without waiting for completion, without auth and without a rate limit', () => {
    expect(spec.params.method.default).toBe('POST');
    expect(spec.params.waitForCompletion.default).toBe(false);
    expect(matchesWebhook({ path: 'x' }, 'POST', 'x')).toBe(true);
    expect(webhookSettings({ path: 'x' })).toEqual({ auth: { kind: 'none' }, respondWithOutput: false });
  });

  it('keeps documents written before the auth params valid, so the version stays 1', () => {
    expect(spec.version).toBe(1);
    expect(checkParams(spec, { path: 'new-hire', method: 'POST', waitForCompletion: true })).toEqual([]);
  });

  it('reads plans frozen before the auth params existed with the params’ defaults', () => {
    const auth = webhookSettings({ path: 'x', auth: 'hmac', secret: 's' }).auth;
    expect(auth).toEqual({
      kind: 'hmac',
      signatureHeader: spec.params.signatureHeader.default,
      timestampHeader: spec.params.timestampHeader.default,
      secret: 's',
      algorithm: spec.params.hmacAlgorithm.default,
      toleranceSeconds: spec.params.toleranceSeconds.default,
    });
  });

  it('refuses header names that are not HTTP tokens', () => {
    expect(spec.params.secretHeader.schema.safeParse('X-Hook-Key').success).toBe(true);
    expect(spec.params.secretHeader.schema.safeParse('X Hook: Key').success).toBe(false);
  });

  it('builds a payload with credentials, signatures and the configured secret header redacted', () => {
    const request = {
      method: 'POST',
      path: 'orders',
      headers: {
        'content-type': 'application/json',
        authorization: 'Basic dTpw',
        'x-api-key': 'k',
        'x-hook-pass': 'the-secret',
        'x-trace': 't1',
      },
      query: { a: '1' },
      body: { n: 1 },
    };
    const payload = webhookPayload({ path: 'orders', auth: 'header', secretHeader: 'X-Hook-Pass' }, request);
    expect(payload).toEqual({
      method: 'POST',
      path: 'orders',
      headers: {
        'content-type': 'application/json',
        authorization: '[redacted]',
        'x-api-key': '[redacted]',
        'x-hook-pass': '[redacted]',
        'x-trace': 't1',
      },
      query: { a: '1' },
      body: { n: 1 },
    });
  });

  it('is a webhook-bound trigger whose test runs take the caller’s input as the payload', () => {
    const runtime = spec.runtime.kind === 'trigger' ? spec.runtime : undefined;
    expect(runtime?.binding).toBe('webhook');
    expect(runtime?.manualPayload({ path: 'x' }, { body: 1 })).toEqual({ body: 1 });
    expect(runtime?.manualPayload({ path: 'x' }, undefined)).toEqual({});
  });
});
