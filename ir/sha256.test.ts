import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { sha256Hex } from './sha256';

const nodeSha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('sha256Hex', () => {
  // Lengths around the 55/56/64-byte padding boundaries, multi-byte UTF-8 and a lone surrogate.
  it.each([
    '',
    'abc',
    'a'.repeat(55),
    'a'.repeat(56),
    'a'.repeat(64),
    'a'.repeat(1000),
    'héllo wörld ✓ 😀',
    '\ud800 lone',
  ])('matches node:crypto for input #%#', (text) => {
    expect(sha256Hex(text)).toBe(nodeSha(text));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":2,"z":1}]},"b":1}',
    );
  });

  it('is the same for objects built in different orders', () => {
    expect(canonicalJson({ x: 1, y: { p: 1, q: 2 } })).toBe(canonicalJson({ y: { q: 2, p: 1 }, x: 1 }));
  });
});
