import { param } from './define';
import { formatSize, inspectJson } from './json-value';

const message = (r: { success: boolean; error?: { issues: Array<{ message: string; path: unknown[] }> } }) =>
  r.success ? undefined : r.error!.issues[0].message;

describe('param builders', () => {
  it('bound text sizes and say by how much', () => {
    const p = param.text({ label: 'T', maxLength: 10 });
    expect(p.schema.safeParse('x'.repeat(10)).success).toBe(true);
    expect(message(p.schema.safeParse('x'.repeat(11)))).toBe('is too long (11 characters; the limit is 10)');
    expect(message(param.textarea({ label: 'T' }).schema.safeParse('x'.repeat(5 * 1024 * 1024)))).toBe(
      'is too long (5.0 MB; the limit is 256 KB)',
    );
  });

  it('check text patterns', () => {
    const p = param.text({ label: 'T', pattern: { regex: /^[a-z]+$/, message: 'lowercase only' } });
    expect(message(p.schema.safeParse('Abc'))).toBe('lowercase only');
  });

  it('accept only http(s) urls', () => {
    const p = param.url({ label: 'U' });
    expect(p.schema.safeParse('https://example.com/a?b=1').success).toBe(true);
    expect(message(p.schema.safeParse('example.com'))).toBe('Invalid url');
    expect(message(p.schema.safeParse('javascript:alert(1)'))).toMatch(/only http and https/);
    expect(message(p.schema.safeParse(`https://x.test/${'a'.repeat(9000)}`))).toMatch(/is too long/);
  });

  it('let jsonMap values be any JSON and keyValue values only strings', () => {
    expect(param.jsonMap({ label: 'M' }).schema.safeParse({ a: 1, b: { c: [true] } }).success).toBe(true);
    expect(message(param.keyValue({ label: 'K' }).schema.safeParse({ a: 1 }))).toBe('Expected string, received number');
  });

  it('bound map entries and JSON sizes', () => {
    const many = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`k${i}`, 'v']));
    expect(message(param.keyValue({ label: 'K' }).schema.safeParse(many))).toBe('has 501 entries; the limit is 500');
    expect(message(param.json({ label: 'J', maxLength: 100 }).schema.safeParse({ a: 'x'.repeat(200) }))).toMatch(
      /too large/,
    );
    expect(message(param.anyValue({ label: 'V' }).schema.safeParse(() => 1))).toMatch(/not JSON/);
  });

  it('keep code out of expression resolution', () => {
    expect(param.code({ label: 'C', expression: true }).ui.expression).toBe(false);
  });
});

describe('inspectJson', () => {
  it('measures, locates problems and stops early', () => {
    expect(inspectJson({ a: [1, 'xy'] }, { maxChars: 100 })).toEqual({ ok: true, chars: expect.any(Number) });
    expect(inspectJson({ a: { b: 'x'.repeat(50) } }, { maxChars: 20 })).toMatchObject({
      ok: false,
      reason: 'too-large',
      path: ['a', 'b'],
    });
    expect(inspectJson({ a: [{ constructor: 1 }] }, { maxChars: 100, forbidPrototypeKeys: true })).toMatchObject({
      ok: false,
      reason: 'forbidden-key',
      path: ['a', 0, 'constructor'],
    });
    expect(inspectJson({ d: new Date() }, { maxChars: 100 })).toMatchObject({
      ok: false,
      reason: 'not-json',
      path: ['d'],
    });
  });

  it('formats sizes', () => {
    expect([formatSize(10), formatSize(256 * 1024), formatSize(5 * 1024 * 1024)]).toEqual(['10 B', '256 KB', '5.0 MB']);
  });
});
