// The fixtures signature with real ed25519 keys: fixtures verify as signed whatever their key order; a changed
// fixture, a signature for another version, another key's signature and no signature each give a clear reason.
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import type { ListingTest } from '../../contracts/marketplace-tests';
import { testsEnvelope, testsSignatureProblem } from './tests-signature';

const publisher = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const stored = { version: '1.0.0', payloadHash: 'a'.repeat(64), keyId: 'ed25519-0123456789abcdef' };
const tests: ListingTest[] = [
  { name: 'Greets Ada', trigger: { id: 7 }, recorded: { call: { output: { name: 'Ada' } } }, expect: { shape: 'Hi' } },
];
const signWith = (key: typeof publisher, text: string) =>
  sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64');
const check = (value: ListingTest[], signature: string | undefined) =>
  testsSignatureProblem(stored, value, signature, (text, sig) =>
    verify(null, Buffer.from(text, 'utf8'), publisher.publicKey, Buffer.from(sig, 'base64')),
  );
const signature = signWith(publisher, testsEnvelope(stored.payloadHash, tests));

test('signed fixtures verify, also read back with their keys in another order', () => {
  expect(check(tests, signature)).toBe('');
  const reordered = JSON.parse(
    JSON.stringify(tests, ['expect', 'shape', 'name', 'recorded', 'call', 'output', 'trigger', 'id']),
  );
  expect(reordered).toEqual(tests);
  expect(check(reordered, signature)).toBe('');
});

test('a changed recorded response is refused, naming the version and the key', () => {
  const tampered: ListingTest[] = [{ ...tests[0], recorded: { call: { output: { name: 'Eve' } } } }];
  expect(check(tampered, signature)).toBe(
    'The tests of version 1.0.0 were changed after its publisher signed them: their signature does not verify ' +
      'with key ed25519-0123456789abcdef.',
  );
});

test('a signature made for another version, or by another key, is refused', () => {
  expect(check(tests, signWith(publisher, testsEnvelope('b'.repeat(64), tests)))).toMatch(/were changed after/);
  expect(check(tests, signWith(stranger, testsEnvelope(stored.payloadHash, tests)))).toMatch(/were changed after/);
});

test('fixtures without a signature are not the publisher’s', () => {
  expect(check(tests, undefined)).toBe(
    'The tests of version 1.0.0 are not signed by its publisher (they were attached before tests were signed): ' +
      'the publisher can attach a run again to sign them.',
  );
});
