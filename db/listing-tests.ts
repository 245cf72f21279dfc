// A listing version's test fixtures as stored, and whether they are its publisher's (docs/decisions/072): the key
// that signed the version signs its fixtures too, over the version's payload hash and their digest. Only fixtures
// that verify are run for the badge or carried in a bundle; older unsigned ones say so until the publisher signs them
// by attaching a run again.
import { MarketplaceError } from '../contracts/marketplace';
import type { ListingTest } from '../contracts/marketplace-tests';
import { testsEnvelope } from '../ir/marketplace/tests-signature';
import { sha256Hex } from '../ir/sha256';
import { checkVersionSignature, testsProblemOf } from './listing-signatures';
import { coreOf, ListingModel, VersionModel, type ListingDoc, type VersionDoc } from './marketplace-listings';
import { signWithKey } from './publisher-keys';

export interface VersionTests {
  tests: ListingTest[];
  /** sha256 of the stored text: a result found for other fixtures is stale. Empty without tests. */
  hash: string;
  /** base64 signature, absent on fixtures attached before fixtures were signed. */
  signature?: string;
  /** Why they are not the publisher's as signed; empty when they are, or when there are none. */
  problem: string;
}

async function versionOf(listingId: string, version: string): Promise<{ listing: ListingDoc; doc: VersionDoc }> {
  const listing = (await ListingModel.findById(listingId).lean()) as ListingDoc | null;
  const doc = (await VersionModel.findById(`${listingId}@${version}`).lean()) as VersionDoc | null;
  if (!listing || !doc)
    throw new MarketplaceError('not-found', `Version ${version} of listing ${listingId} does not exist.`);
  return { listing, doc };
}

/** The fixtures a stored version carries, checked against its signature now (a revoked key fails them at once). */
export async function testsOfVersion(listing: ListingDoc, doc: VersionDoc): Promise<VersionTests> {
  if (!doc.testsJson) return { tests: [], hash: '', problem: '' };
  const tests = JSON.parse(doc.testsJson) as ListingTest[];
  const content = { manifest: JSON.parse(doc.manifestJson), graph: JSON.parse(doc.graphJson) };
  const check = await checkVersionSignature(listing, coreOf(listing), { ...doc, ...content });
  return {
    tests,
    hash: sha256Hex(doc.testsJson),
    ...(doc.testsSignature ? { signature: doc.testsSignature } : {}),
    problem: testsProblemOf(check, doc, tests, doc.testsSignature),
  };
}

export async function versionTests(listingId: string, version: string): Promise<VersionTests> {
  const { listing, doc } = await versionOf(listingId, version);
  return testsOfVersion(listing, doc);
}

/**
 * Replaces the version's fixtures (already checked) with `tests`, signed by the key that signed the version. A version
 * imported from a bundle is refused: only its publisher's key can sign its fixtures, and they come in its bundle.
 */
export async function storeSignedTests(listingId: string, version: string, tests: ListingTest[]): Promise<string> {
  const { doc } = await versionOf(listingId, version);
  if (doc.bundle)
    throw new MarketplaceError(
      'invalid',
      `Version ${version} was imported from a bundle: only its publisher can sign tests for it. Attach them on the ` +
        `publisher's instance and import the new bundle.`,
    );
  const envelope = testsEnvelope(doc.payloadHash, tests);
  const testsSignature = await signWithKey(doc.signerWorkspaceId, doc.keyId, Buffer.from(envelope, 'utf8'));
  const testsJson = JSON.stringify(tests);
  await VersionModel.updateOne({ _id: doc._id }, { $set: { testsJson, testsSignature } });
  return sha256Hex(testsJson);
}
