// What signs a listing version's test fixtures (docs/decisions/072), pure: the text the version's own key signs,
// canonical JSON of the version's payload hash and the digest of the fixtures. Fixtures are attached after
// publishing, so they get a second signature beside the version's rather than a place in its payload (which would
// break every existing signature); bound to the payload hash, fixtures signed for one version verify for no other.
import type { ListingTest } from '../../contracts/marketplace-tests';
import { canonicalJson } from '../canonical-json';
import { sha256Hex } from '../sha256';

export const TESTS_SIGNATURE_FORMAT = 'baton-listing-tests/v1';

/** sha256 (hex) of the fixtures' canonical JSON: the same after any JSON round trip (a store, a bundle file). */
export function testsDigest(tests: ListingTest[]): string {
  return sha256Hex(canonicalJson(tests));
}

/** The text the version's key signs for `tests`. */
export function testsEnvelope(payloadHash: string, tests: ListingTest[]): string {
  return canonicalJson({ format: TESTS_SIGNATURE_FORMAT, payloadHash, tests: testsDigest(tests) });
}

/**
 * Why `tests` do not verify as version `version`'s publisher signed them ('' when they do). `verify` is ed25519 with
 * the version's public key, from whoever runs the check.
 */
export function testsSignatureProblem(
  stored: { version: string; payloadHash: string; keyId: string },
  tests: ListingTest[],
  signature: string | undefined,
  verify: (text: string, signatureBase64: string) => boolean,
): string {
  if (!signature)
    return (
      `The tests of version ${stored.version} are not signed by its publisher (they were attached before tests ` +
      `were signed): the publisher can attach a run again to sign them.`
    );
  if (!verify(testsEnvelope(stored.payloadHash, tests), signature))
    return (
      `The tests of version ${stored.version} were changed after its publisher signed them: their signature does ` +
      `not verify with key ${stored.keyId}.`
    );
  return '';
}
