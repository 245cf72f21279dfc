// Signed listing bundles (issue 13, docs/decisions/070): the file that carries one signed listing version from one
// Baton instance to another, and what the listing page shows about who signed a version and whether it verifies.
import type { ListingCore, ListingGraph, ListingManifest } from './marketplace';
import type { ListingTest } from './marketplace-tests';

export const BUNDLE_FORMAT = 'baton-bundle';
export const BUNDLE_FORMAT_VERSION = 1;
/** Bundles are one version of one workflow: 2 MB is far above any listing (descriptions stop at 50 KB). */
export const BUNDLE_MAX_BYTES = 2 * 1024 * 1024;
export const BUNDLE_EXTENSION = '.baton.json';

/**
 * One listing version as exported. `listing` … `graph` are exactly what the version's signature covers
 * (ir/marketplace/payload.ts). `exportSignature` is the same key's signature over the export envelope
 * (payloadHash, keyId, signerName, exportedAt and a digest per signed field), so the signer's name cannot be
 * changed either, and an import can name the field that was changed.
 */
export interface ListingBundle {
  format: typeof BUNDLE_FORMAT;
  formatVersion: typeof BUNDLE_FORMAT_VERSION;
  listing: ListingCore;
  version: string;
  changelog: string;
  manifest: ListingManifest;
  graph: ListingGraph;
  payloadHash: string;
  /** base64 ed25519 signature over the canonical payload. */
  signature: string;
  /** The fingerprint of `publicKeyPem` (db/publisher-keys.ts `fingerprintOf`). */
  keyId: string;
  publicKeyPem: string;
  /** The publishing workspace's name when the bundle was made. */
  signerName: string;
  exportedAt: string;
  /** sha256 (hex) of the canonical JSON of each signed field: `listing.title`, `graph`, … */
  fieldDigests: Record<string, string>;
  /** base64 ed25519 signature over the export envelope, by the key that signed the version. */
  exportSignature: string;
  /**
   * The version's test fixtures (docs/decisions/072), when it has signed ones; `fieldDigests.tests` then covers them
   * too. Bundles made before fixtures travelled have neither field and verify as before.
   */
  tests?: ListingTest[];
  /** base64 ed25519 signature by the same key over `testsEnvelope(payloadHash, tests)` (ir/marketplace/tests-signature.ts). */
  testsSignature?: string;
}

export interface BundleImportResult {
  listingId: string;
  version: string;
  /** False when the bundle added a version to a listing imported earlier. */
  createdListing: boolean;
}

/** A signer's public key a workspace kept from a bundle it imported; `revoked`: it stopped trusting it. */
export interface ImportedKeyView {
  keyId: string;
  workspaceId: string;
  publicKeyPem: string;
  signerName: string;
  status: 'active' | 'revoked';
  importedAt: string;
  revokedAt?: string;
}
