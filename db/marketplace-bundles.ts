// Signed bundles in the store (docs/decisions/070): a listing version as a bundle file (its stored signature, plus an
// export envelope signed by the same key), and a verified bundle stored as a listing of the importing workspace that
// keeps the original signature, the signed listing fields and the signer's public key, so it verifies on every read.
// A version's signed test fixtures travel with it and are kept on import (docs/decisions/072).
import { createHash } from 'node:crypto';
import type { BundleImportResult, ListingBundle } from '../contracts/marketplace-bundle';
import { LISTING_LIMITS, MarketplaceError, type ListingCore } from '../contracts/marketplace';
import { assembleBundle, BundleError, envelopeOf, verifyBundle, type BundleKeys } from '../ir/marketplace/bundle';
import { checkedTests } from '../ir/marketplace/fixtures';
import { compareSemver, parseSemver } from '../ir/marketplace/semver';
import { isDuplicateKey } from './duplicate-key';
import { importedKey, keepImportedKey } from './imported-publisher-keys';
import { testsOfVersion } from './listing-tests';
import { checkVersionSignature } from './listing-signatures';
import {
  checkedMeta,
  coreOf,
  insertListing,
  ListingModel,
  newListingDoc,
  permissionsOf,
  reindexListing,
  removeListing,
  VersionModel,
  type ListingDoc,
  type VersionDoc,
} from './marketplace-listings';
import { fingerprintOf, getKey, signWithKey, verifyPayload } from './publisher-keys';

/** node:crypto's ed25519 for the pure checks of ir/marketplace/bundle.ts. */
export const nodeBundleKeys: BundleKeys = {
  fingerprint: fingerprintOf,
  verify: (publicKeyPem, text, signature) => verifyPayload(publicKeyPem, Buffer.from(text, 'utf8'), signature),
};

/** The bundle of one version; refused when the version does not verify now (a revoked key, a changed record). */
export async function bundleOfVersion(listingId: string, version: string): Promise<ListingBundle> {
  const listing = (await ListingModel.findById(listingId).lean()) as ListingDoc | null;
  const doc = (await VersionModel.findById(`${listingId}@${version}`).lean()) as VersionDoc | null;
  if (!listing || !doc)
    throw new MarketplaceError('not-found', `Version ${version} of listing ${listingId} does not exist.`);
  const content = {
    version: doc.version,
    changelog: doc.changelog,
    manifest: JSON.parse(doc.manifestJson),
    graph: JSON.parse(doc.graphJson),
  };
  const check = await checkVersionSignature(listing, coreOf(listing), { ...doc, ...content });
  if (!check.verified || !check.publicKeyPem)
    throw new MarketplaceError(
      'conflict',
      `Version ${version} of "${listing.title}" does not verify, so it cannot be exported as a signed bundle: ${check.problem}`,
    );
  const parts = {
    listing: check.core,
    ...content,
    payloadHash: doc.payloadHash,
    signature: doc.signature,
    keyId: doc.keyId,
    publicKeyPem: check.publicKeyPem,
    signerName: doc.bundle?.signerName ?? check.signerName,
    exportedAt: doc.bundle?.exportedAt ?? new Date().toISOString(),
    ...(await signedTestsOf(listing, doc)),
  };
  // An imported version goes out as it came in: only its publisher's key could sign a new envelope.
  const exportSignature =
    doc.bundle?.exportSignature ??
    (await signWithKey(doc.signerWorkspaceId, doc.keyId, Buffer.from(envelopeOf(parts), 'utf8')));
  return assembleBundle(parts, exportSignature);
}

/** The version's fixtures and their signature when they verify; unsigned or changed ones stay out of the bundle. */
async function signedTestsOf(listing: ListingDoc, doc: VersionDoc) {
  const found = await testsOfVersion(listing, doc);
  return found.tests.length > 0 && !found.problem ? { tests: found.tests, testsSignature: found.signature } : {};
}

/** The bundle's fixtures, shape and caps checked as an attach checks them (the bundle's signature already holds). */
function bundleTests(bundle: ListingBundle): { testsJson?: string; testsSignature?: string } {
  if (!bundle.tests) return {};
  try {
    checkedTests(bundle.tests);
  } catch (err) {
    if (err instanceof MarketplaceError) throw new BundleError('format', `tests: ${err.message}`);
    throw err;
  }
  // Stored as they came: the digest and signature are over these exact values.
  return { testsJson: JSON.stringify(bundle.tests), testsSignature: bundle.testsSignature };
}

/**
 * Refuses a bundle whose key this instance knows as revoked, or whose key is a publisher key here of another workspace
 * than the one the bundle names. A key not known here is foreign even if the bundle names a workspace id that exists
 * here (every instance has `ws_default`): it is kept for the importing workspace only, never taken for a local one's.
 */
async function checkSigner(workspaceId: string, bundle: ListingBundle): Promise<'local' | 'foreign'> {
  const revoked = (date?: string) =>
    new BundleError(
      'revoked',
      `This bundle is signed by key ${bundle.keyId} ("${bundle.signerName}"), which was revoked here` +
        `${date ? ` on ${date.slice(0, 10)}` : ''}: what it signed is refused.`,
    );
  const local = await getKey(bundle.keyId);
  if (local) {
    if (local.status === 'revoked') throw revoked(local.revokedAt);
    if (local.workspaceId !== bundle.listing.publisherWorkspaceId)
      throw new BundleError(
        'forged',
        `This bundle names workspace ${bundle.listing.publisherWorkspaceId} as its publisher, but key ` +
          `${bundle.keyId} belongs to another workspace here.`,
      );
    return 'local';
  }
  const kept = await importedKey(workspaceId, bundle.keyId);
  if (kept?.status === 'revoked') throw revoked(kept.revokedAt);
  return 'foreign';
}

/** One imported listing per workspace and origin listing: later versions of it join it (no duplicate on a race). */
const importedListingId = (workspaceId: string, origin: ListingCore) =>
  `lst_imp_${createHash('sha256').update(`${workspaceId}\n${origin.id}`).digest('hex').slice(0, 24)}`;

/** The card fields of the bundle's listing, checked as a publish checks them; shown only in the importing workspace. */
function metaOf(origin: ListingCore) {
  const { title, description, category, tags, icon } = origin;
  return checkedMeta({ title, description, category, tags, icon, visibility: 'workspace' });
}

async function listingFor(workspaceId: string, bundle: ListingBundle): Promise<{ doc: ListingDoc; created: boolean }> {
  const meta = metaOf(bundle.listing);
  const _id = importedListingId(workspaceId, bundle.listing);
  const existing = (await ListingModel.findById(_id).lean()) as ListingDoc | null;
  if (existing) return { doc: existing, created: false };
  const doc = newListingDoc({
    _id,
    publisherWorkspaceId: workspaceId,
    originListingId: bundle.listing.id,
    workflowId: bundle.listing.workflowId,
    meta,
  });
  try {
    await insertListing(doc);
    return { doc, created: true };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return { doc: (await ListingModel.findById(_id).lean()) as ListingDoc, created: false };
  }
}

/** Verifies `bundle` and stores its version in `workspaceId`, as a new imported listing or a version of one. */
export async function importBundle(workspaceId: string, bundle: ListingBundle): Promise<BundleImportResult> {
  verifyBundle(bundle, nodeBundleKeys);
  const tests = bundleTests(bundle);
  const signer = await checkSigner(workspaceId, bundle);
  parseSemver(bundle.version);
  if (bundle.changelog.length > LISTING_LIMITS.changelogChars)
    throw new BundleError('format', `changelog: must be at most ${LISTING_LIMITS.changelogChars} characters.`);
  // Kept before the version is stored, so a stored imported version always has its key.
  if (signer === 'foreign') await keepImportedKey(workspaceId, bundle);
  const { doc: listing, created } = await listingFor(workspaceId, bundle);
  const version: VersionDoc = {
    _id: `${listing._id}@${bundle.version}`,
    listingId: listing._id,
    version: bundle.version,
    changelog: bundle.changelog,
    manifestJson: JSON.stringify(bundle.manifest),
    graphJson: JSON.stringify(bundle.graph),
    payloadHash: bundle.payloadHash,
    signature: bundle.signature,
    keyId: bundle.keyId,
    signerWorkspaceId: bundle.listing.publisherWorkspaceId,
    createdAt: new Date(),
    bundle: {
      coreJson: JSON.stringify(bundle.listing),
      signerName: bundle.signerName,
      exportedAt: bundle.exportedAt,
      exportSignature: bundle.exportSignature,
    },
    ...tests,
  };
  try {
    await VersionModel.create(version);
  } catch (err) {
    if (created) await removeListing(listing._id);
    if (isDuplicateKey(err))
      throw new MarketplaceError(
        'conflict',
        `Version ${bundle.version} of "${listing.title}" was already imported into this workspace.`,
      );
    throw err;
  }
  const newest = !listing.latestVersion || compareSemver(bundle.version, listing.latestVersion) > 0;
  const meta = metaOf(bundle.listing);
  await ListingModel.updateOne(
    { _id: listing._id },
    {
      $set: {
        updatedAt: version.createdAt,
        // The newest version's listing fields and manifest are the card's, as for a published listing.
        ...(newest
          ? {
              latestVersion: bundle.version,
              permissions: permissionsOf(bundle.manifest),
              nodeTypes: bundle.manifest.nodes.map((n) => n.type),
              title: meta.title,
              description: meta.description,
              category: meta.category,
              tags: meta.tags,
              icon: meta.icon,
              searchIndexed: false,
            }
          : {}),
      },
    },
  );
  if (newest) await reindexListing(listing._id);
  return { listingId: listing._id, version: bundle.version, createdListing: created };
}
