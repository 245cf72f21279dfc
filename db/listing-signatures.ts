// Whether a stored listing version verifies now, and why not (docs/decisions/061, 070). A version the publisher
// signed here verifies with a key of the publisher's workspace. A version imported from a bundle verifies with the
// key that signed it at its origin: a key of this instance only if it is the named publisher's own, else the
// public key the importing workspace kept (db/imported-publisher-keys.ts), which verifies nothing else. A version's
// test fixtures verify with the same key, over their own envelope (docs/decisions/072).
import type { ListingCore, ListingGraph, ListingManifest, PublisherKeyStatus } from '../contracts/marketplace';
import type { ListingTest } from '../contracts/marketplace-tests';
import { canonicalPayload, payloadHash } from '../ir/marketplace/payload';
import { testsSignatureProblem } from '../ir/marketplace/tests-signature';
import { importedKey } from './imported-publisher-keys';
import { getKey, verifyPayload } from './publisher-keys';
import { getWorkspace } from './workspaces';

/** What a version imported from a bundle keeps of it: the signed listing fields as they were, and the export. */
export interface VersionBundleRecord {
  /** The listing core fields the signature covers (the origin's id, publisher, visibility…), as JSON text. */
  coreJson: string;
  signerName: string;
  exportedAt: string;
  exportSignature: string;
}

export interface StoredSignature {
  version: string;
  changelog: string;
  manifest: ListingManifest;
  graph: ListingGraph;
  payloadHash: string;
  signature: string;
  keyId: string;
  signerWorkspaceId: string;
  bundle?: VersionBundleRecord;
}

export interface SignatureCheck {
  verified: boolean;
  keyStatus: PublisherKeyStatus | 'missing';
  /** Why it does not verify; empty when it does. */
  problem: string;
  signerName: string;
  imported: boolean;
  /** The listing fields the signature covers. */
  core: ListingCore;
  publicKeyPem?: string;
}

const day = (iso?: string) => (iso ? ` on ${iso.slice(0, 10)}` : '');

/** The key the version must verify with, or why there is none. */
async function keyFor(
  listing: { publisherWorkspaceId: string; originListingId?: string },
  stored: StoredSignature,
  core: ListingCore,
): Promise<{ key?: { publicKeyPem: string; status: PublisherKeyStatus; revokedAt?: string }; problem: string }> {
  const local = await getKey(stored.keyId);
  if (local) {
    if (local.workspaceId !== stored.signerWorkspaceId || core.publisherWorkspaceId !== stored.signerWorkspaceId)
      return { problem: `Signing key ${stored.keyId} is not a key of the workspace that published this listing.` };
    if (!stored.bundle && stored.signerWorkspaceId !== listing.publisherWorkspaceId)
      return { problem: `Version ${stored.version} was signed by another workspace than the listing's publisher.` };
    return { key: local, problem: '' };
  }
  if (!stored.bundle) return { problem: `Signing key ${stored.keyId} does not exist here.` };
  if (listing.originListingId !== core.id)
    return { problem: `Version ${stored.version} was imported for another listing than this one.` };
  const kept = await importedKey(listing.publisherWorkspaceId, stored.keyId);
  if (!kept) return { problem: `Signing key ${stored.keyId} was not kept when this bundle was imported.` };
  return { key: kept, problem: '' };
}

/** Checks a stored version's signature against its key now (revocation applies at once). */
export async function checkVersionSignature(
  listing: { publisherWorkspaceId: string; originListingId?: string },
  localCore: ListingCore,
  stored: StoredSignature,
): Promise<SignatureCheck> {
  const imported = !!stored.bundle;
  const core = stored.bundle ? (JSON.parse(stored.bundle.coreJson) as ListingCore) : localCore;
  const signerName =
    stored.bundle?.signerName ?? (await getWorkspace(stored.signerWorkspaceId))?.name ?? stored.signerWorkspaceId;
  const found = await keyFor(listing, stored, core);
  const result = { signerName, imported, core, publicKeyPem: found.key?.publicKeyPem };
  if (!found.key) return { ...result, verified: false, keyStatus: 'missing', problem: found.problem };
  const keyStatus = found.key.status;
  const refused = (problem: string): SignatureCheck => ({ ...result, verified: false, keyStatus, problem });
  if (found.problem) return refused(found.problem);
  if (keyStatus === 'revoked')
    return refused(
      `Signing key ${stored.keyId} was revoked${day(found.key.revokedAt)}: what it signed no longer verifies.`,
    );
  const payload = canonicalPayload({ listing: core, ...stored });
  if (payloadHash(payload) !== stored.payloadHash)
    return refused('The stored listing no longer matches what was signed: it was changed after signing.');
  if (!verifyPayload(found.key.publicKeyPem, Buffer.from(payload, 'utf8'), stored.signature))
    return refused(`The signature does not verify with key ${stored.keyId}.`);
  return { ...result, verified: true, keyStatus, problem: '' };
}

/**
 * Why a version's test fixtures are not its publisher's as signed ('' when they are): the version itself must verify
 * now (`check`), and `signature` must be its key's over the fixtures' envelope for this version.
 */
export function testsProblemOf(
  check: SignatureCheck,
  stored: Pick<StoredSignature, 'version' | 'payloadHash' | 'keyId'>,
  tests: ListingTest[],
  signature: string | undefined,
): string {
  const publicKeyPem = check.publicKeyPem;
  if (!check.verified || !publicKeyPem)
    return `Version ${stored.version} does not verify, so neither do its tests: ${check.problem}`;
  return testsSignatureProblem(stored, tests, signature, (text, sig) =>
    verifyPayload(publicKeyPem, Buffer.from(text, 'utf8'), sig),
  );
}
