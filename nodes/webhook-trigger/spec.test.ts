import { matchesWebhook, normalizeWebhookPath, spec } from './spec';

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
    const params = { path: 'new-hire', method: 'POST' };
    expect(matchesWebhook(params, 'POST', 'new-hire')).toBe(true);
    expect(matchesWebhook(params, 'post', '/new-hire/')).toBe(true);
    expect(matchesWebhook(params, 'GET', 'new-hire')).toBe(false);
    expect(matchesWebhook(params, 'POST', 'new-hire/x')).toBe(false);
    expect(matchesWebhook(params, 'POST', 'New-Hire')).toBe(false);
    expect(matchesWebhook({ path: '../x' }, 'POST', '../x')).toBe(false);
  });

  it('defaults to POST without waiting for completion', () => {
    expect(spec.params.method.default).toBe('POST');
    expect(spec.params.waitForCompletion.default).toBe(false);
    expect(matchesWebhook({ path: 'x' }, 'POST', 'x')).toBe(true);
  });
});
