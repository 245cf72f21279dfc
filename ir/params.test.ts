import { spec as code } from '../nodes/code/spec';
import { spec as httpRequest } from '../nodes/http-request/spec';
import { spec as ifNode } from '../nodes/if/spec';
import { spec as setFields } from '../nodes/set-fields/spec';
import { ExpressionError, ParamError } from './errors';
import type { ExpressionScope } from './expression';
import { applyDefaults, checkParams, resolveParams } from './params';

const scope: ExpressionScope = {
  input: { id: 42, age: '36', big: 'x'.repeat(300 * 1024) },
  trigger: {},
  node: () => undefined,
  run: { id: 'r', workflowId: 'w' },
};

describe('resolveParams', () => {
  it('applies defaults, resolves expressions and validates', async () => {
    const params = await resolveParams(httpRequest, { url: 'https://api.test/users/{{ $input.id }}' }, scope);
    expect(params).toEqual({
      method: 'GET',
      url: 'https://api.test/users/42',
      headers: {},
      bodyType: 'none',
      timeoutMs: 30_000,
      failOnHttpError: true,
    });
  });

  it('lets expressions produce any JSON type where the param allows it', async () => {
    const params = await resolveParams(setFields, { fields: { n: '{{ $input.id }}', o: '{{ {"a": [1]} }}' } }, scope);
    expect(params.fields).toEqual({ n: 42, o: { a: [1] } });
  });

  it('names the field when validation fails after resolution', async () => {
    const err: any = await resolveParams(httpRequest, { url: 'not a url {{ $input.id }}' }, scope).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ParamError);
    expect(err.field).toBe('url');
    expect(err.message).toBe('Param "url": Invalid url');
  });

  it('rejects wrong literal types and unknown select values', async () => {
    await expect(resolveParams(httpRequest, { url: 'https://a.test', timeoutMs: '100' }, scope)).rejects.toThrow(
      'Param "timeoutMs": Expected number, received string',
    );
    await expect(resolveParams(httpRequest, { url: 'https://a.test', method: 'BREW' }, scope)).rejects.toThrow(
      /Param "method": Invalid enum value/,
    );
    await expect(resolveParams(httpRequest, { url: 42 }, scope)).rejects.toThrow(
      'Param "url": Expected string, received number',
    );
  });

  it('rejects missing required params, including expressions that yield nothing', async () => {
    await expect(resolveParams(httpRequest, {}, scope)).rejects.toThrow('Param "url": is required');
    await expect(resolveParams(httpRequest, { url: '{{ $input.nothing }}' }, scope)).rejects.toThrow(
      /is required \(its expression produced no value\)/,
    );
  });

  it('names nested fields and size limits', async () => {
    await expect(
      resolveParams(httpRequest, { url: 'https://a.test', headers: { 'Bad Name': 'x' } }, scope),
    ).rejects.toThrow('Param "headers.Bad Name": "Bad Name" is not a valid header name');
    await expect(resolveParams(ifNode, { left: '{{ $input.big }}' }, scope)).rejects.toThrow(
      /Param "left": is too large \(over 256 KB\)/,
    );
  });

  it('does not resolve params that opt out of expressions', async () => {
    const params = await resolveParams(code, { code: 'return "{{ not an expression }}";' }, scope);
    expect(params.code).toBe('return "{{ not an expression }}";');
  });

  it('prefixes expression errors with the param', async () => {
    const err: any = await resolveParams(httpRequest, { url: 'https://a.test/{{ $input.( }}' }, scope).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ExpressionError);
    expect(err.message).toMatch(/^Param "url": Expression/);
    expect(err.path).toEqual(['url']);
  });

  it('validates a kept params object once, yet hands each execution its own copy', async () => {
    const literal = { fields: { fixed: { list: [1, 2] } }, keepInput: true };
    const first = await resolveParams(setFields, literal, scope);
    (first.fields.fixed as { list: number[] }).list.push(99); // a runner that changes its params
    expect((await resolveParams(setFields, literal, scope)).fields).toEqual({ fixed: { list: [1, 2] } });
    const withExpression = { fields: { n: '{{ $input.id }}' } };
    expect((await resolveParams(setFields, withExpression, scope)).fields).toEqual({ n: 42 });
    expect((await resolveParams(setFields, withExpression, { ...scope, input: { id: 7 } })).fields).toEqual({ n: 7 });
    const wrong = { timeoutMs: 'soon' };
    for (let i = 0; i < 2; i++)
      await expect(resolveParams(httpRequest, { url: 'https://a.test', ...wrong }, scope)).rejects.toThrow(ParamError);
  });

  it('never shares default objects between runs', async () => {
    const a = await resolveParams(httpRequest, { url: 'https://a.test' }, scope);
    (a.headers as Record<string, string>).X = '1';
    const b = await resolveParams(httpRequest, { url: 'https://a.test' }, scope);
    expect(b.headers).toEqual({});
  });
});

describe('checkParams', () => {
  it('reports required, invalid and unknown params with paths', () => {
    expect(checkParams(httpRequest, { url: '', timeoutMs: 0, extra: 1 })).toEqual([
      { code: 'param-required', path: ['url'], message: 'Param "url" (URL) is required' },
      {
        code: 'param-invalid',
        path: ['timeoutMs'],
        message: 'Param "timeoutMs": Number must be greater than or equal to 1',
      },
      { code: 'param-unknown', path: ['extra'], message: expect.stringContaining('is not a param of http-request v1') },
    ]);
  });

  it('checks only the size of values that hold expressions', () => {
    expect(checkParams(httpRequest, { url: '{{ $input.url }}', timeoutMs: 1000 })).toEqual([]);
    const huge = `{{ "${'x'.repeat(9000)}" }}`;
    expect(checkParams(httpRequest, { url: huge })).toEqual([
      { code: 'param-invalid', path: ['url'], message: expect.stringMatching(/^Param "url" is too large/) },
    ]);
  });

  it('rejects a 5 MB string naming the field', () => {
    const [issue] = checkParams(code, { code: 'x'.repeat(5 * 1024 * 1024) });
    expect(issue.path).toEqual(['code']);
    expect(issue.message).toBe('Param "code": is too long (5.0 MB; the limit is 256 KB)');
  });

  it('quotes at most 300 characters of what it refuses (found by ir/fuzz.test.ts)', () => {
    const hostile = 'x'.repeat(100 * 1024);
    const [select] = checkParams(httpRequest, { method: hostile });
    expect(select.message).toMatch(/^Param "method": Invalid enum value\. Expected 'GET' \| .*, received 'x+…$/);
    expect(select.message.length).toBeLessThan(330);
    const [key] = checkParams(setFields, { fields: { [hostile]: 'v' } });
    expect(key.path).toEqual(['fields', hostile]);
    expect(key.message).toBe(`Param "fields.${'x'.repeat(293)}…": is too long (102400 characters; the limit is 256)`);
    const unknown = checkParams(httpRequest, { url: 'https://x.test', [hostile]: 1 })[0];
    expect(unknown.message).toBe(`Param "${'x'.repeat(300)}…" is not a param of http-request v1; it is ignored`);
  });
});

describe('applyDefaults', () => {
  it('keeps only known params and fills defaults', () => {
    expect(applyDefaults(ifNode, { operator: 'gt', junk: 1 })).toEqual({ left: '', operator: 'gt', right: '' });
  });
});
