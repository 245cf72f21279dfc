import { resolveParams } from '../../ir/params';
import { makeRunContext } from '../testing';
import { applyCrypto, cryptoResult, type CryptoParams } from './digest';
import { run } from './run';
import { spec } from './spec';

const base: CryptoParams = {
  operation: 'hash',
  algorithm: 'sha256',
  value: 'abc',
  key: '',
  encoding: 'hex',
  length: 32,
  outputField: '',
};
const result = (over: Partial<CryptoParams>) => cryptoResult({ ...base, ...over });
const scope = { input: {}, trigger: {}, node: () => undefined, run: { id: 'r', workflowId: 'w' } };
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('crypto hash and HMAC', () => {
  it('matches the published test vectors', () => {
    expect(result({})).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(result({ algorithm: 'sha1' })).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(result({ algorithm: 'md5', value: '' })).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(result({ algorithm: 'sha384' })).toMatch(
      /^cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed/,
    );
    expect(result({ algorithm: 'sha512' })).toMatch(
      /^ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a/,
    );
    // RFC 4231 test case 2 and RFC 2104's example.
    const hmac = { operation: 'hmac', key: 'Jefe', value: 'what do ya want for nothing?' } as const;
    expect(result(hmac)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(result({ ...hmac, algorithm: 'md5' })).toBe('750c783e6ab0b503eaa86e310a5db738');
  });

  it('encodes as hex, base64 or URL-safe base64', () => {
    expect(result({ encoding: 'base64' })).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
    expect(result({ encoding: 'base64url' })).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('hashes text as UTF-8 and other JSON as canonical JSON', () => {
    expect(result({ value: 'é' })).toBe(result({ value: '\u00e9' }));
    expect(result({ value: { b: 1, a: [1, { d: 2, c: 3 }] } })).toBe(
      result({ value: '{"a":[1,{"c":3,"d":2}],"b":1}' }),
    );
    expect(result({ value: { a: 1, b: 2 } })).toBe(result({ value: { b: 2, a: 1 } }));
    expect(result({ value: 42 })).toBe(result({ value: '42' }));
    expect(result({ value: [true, null] })).toBe(result({ value: '[true,null]' }));
  });

  it('refuses a missing value or key instead of hashing nothing', () => {
    expect(() => result({ value: undefined })).toThrow(
      'Crypto: the Value to hash is empty (its expression may have produced nothing); write "" to hash empty text on purpose',
    );
    expect(() => result({ operation: 'hmac', key: 'k', value: null })).toThrow('Crypto: the Value to hmac is null');
    expect(() => result({ operation: 'hmac', key: '' })).toThrow(
      'Crypto: HMAC needs a Key (its expression may have produced nothing)',
    );
    expect(() => result({ operation: 'hmac', key: undefined as unknown as string })).toThrow(/HMAC needs a Key/);
  });
});

describe('crypto random values', () => {
  it('generates v4 UUIDs', () => {
    const a = result({ operation: 'uuid' });
    expect(a).toMatch(UUID_V4);
    expect(result({ operation: 'uuid' })).not.toBe(a);
  });

  it('generates random bytes of the asked length, up to 1024', () => {
    expect(result({ operation: 'randomBytes', length: 16 })).toMatch(/^[0-9a-f]{32}$/);
    expect(result({ operation: 'randomBytes', length: 1024, encoding: 'base64url' })).toMatch(/^[\w-]{1366}$/);
    expect(result({ operation: 'randomBytes', length: 3, encoding: 'base64' })).toMatch(/^[A-Za-z0-9+/]{4}$/);
    const length = spec.params.length.schema;
    expect([0, 1, 1024, 1025, 2.5].map((n) => length.safeParse(n).success)).toEqual([false, true, true, false, false]);
  });
});

describe('crypto output', () => {
  it('merges into an object input under a field named for the operation, or replaces any other input', () => {
    const input = { email: 'ada@example.com' };
    expect(applyCrypto({ ...base, value: 'abc' }, input)).toEqual({
      email: 'ada@example.com',
      hash: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
    expect(input).toEqual({ email: 'ada@example.com' });
    expect(applyCrypto({ ...base, operation: 'uuid' }, {})).toEqual({ uuid: expect.stringMatching(UUID_V4) });
    expect(applyCrypto({ ...base, operation: 'randomBytes', length: 1 }, {})).toEqual({
      random: expect.stringMatching(/^[0-9a-f]{2}$/),
    });
    expect(applyCrypto({ ...base, operation: 'hmac', key: 'k', outputField: 'sig.value' }, { a: 1 })).toEqual({
      a: 1,
      sig: { value: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(applyCrypto(base, 'text')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(spec.params.outputField.schema.safeParse('x.__proto__').success).toBe(false);
  });

  it('runs on resolved params as a node that may run locally but is not pure', async () => {
    expect(spec.runtime.kind === 'activity' && spec.runtime.pure).toBeFalsy();
    expect(spec.runtime.kind === 'activity' && spec.runtime.localWhen?.({})).toBe(true);
    const params = await resolveParams(spec, { value: '{{ $input.email }}' }, { ...scope, input: { email: 'abc' } });
    expect(params).toEqual({ ...base, key: undefined, value: 'abc' });
    await expect(run(makeRunContext(), params, { id: 1 })).resolves.toEqual({
      id: 1,
      hash: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
  });
});
