// Signed listing bundles (docs/decisions/070), pure: assemble a bundle from a stored signed version, parse a file
// strictly (errors name the field), and verify it: the key id is the key's fingerprint, the export envelope is the
// key's, every signed field still hashes as signed, and the version signature holds; a version's test fixtures travel
// with their own signature by the same key (docs/decisions/072) and their digest in the envelope. Crypto comes in as
// `BundleKeys` so this runs anywhere; the server passes node:crypto's ed25519.
import { z } from 'zod';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  BUNDLE_EXTENSION,
  type ListingBundle,
} from '../../contracts/marketplace-bundle';
import { LISTING_VISIBILITIES, MarketplaceError } from '../../contracts/marketplace';
import { canonicalJson } from '../canonical-json';
import { sha256Hex } from '../sha256';
import { canonicalPayload, payloadHash, type SignedContent } from './payload';
import { testsEnvelope } from './tests-signature';

export type BundleProblem = 'format' | 'tampered' | 'revoked' | 'forged';

/** A refused bundle; `problem` says which check refused it. */
export class BundleError extends MarketplaceError {
  constructor(
    readonly problem: BundleProblem,
    message: string,
  ) {
    super('invalid', message);
    this.name = 'BundleError';
  }
}

/** ed25519 over UTF-8 text, and the key fingerprint, from whoever runs the check. */
export interface BundleKeys {
  fingerprint(publicKeyPem: string): string;
  verify(publicKeyPem: string, text: string, signatureBase64: string): boolean;
}

export type BundleParts = SignedContent &
  Pick<ListingBundle, 'payloadHash' | 'signature' | 'keyId' | 'publicKeyPem' | 'signerName' | 'exportedAt'> &
  Partial<Pick<ListingBundle, 'tests' | 'testsSignature'>>;

/** What the field digests cover: the signed content, and the version's test fixtures when it carries them. */
type DigestedContent = SignedContent & Pick<Partial<ListingBundle>, 'tests'>;

/** Each signed field by name, so a refusal can say which one changed. */
function signedFields(content: DigestedContent): Array<[string, unknown]> {
  const l = content.listing;
  // `tests` only when present: a bundle without fixtures has the digests it had before fixtures travelled.
  const tests: Array<[string, unknown]> = content.tests === undefined ? [] : [['tests', content.tests]];
  return [
    ['listing.id', l.id],
    ['listing.publisherWorkspaceId', l.publisherWorkspaceId],
    ['listing.workflowId', l.workflowId],
    ['listing.title', l.title],
    ['listing.description', l.description],
    ['listing.category', l.category],
    ['listing.tags', l.tags],
    ['listing.icon', l.icon],
    ['listing.visibility', l.visibility],
    ['version', content.version],
    ['changelog', content.changelog],
    ['manifest', content.manifest],
    ['graph', content.graph],
    ...tests,
  ];
}

export function fieldDigestsOf(content: DigestedContent): Record<string, string> {
  return Object.fromEntries(signedFields(content).map(([name, value]) => [name, sha256Hex(canonicalJson(value))]));
}

/** The text `exportSignature` covers. */
export function exportEnvelope(
  parts: Omit<BundleParts, keyof SignedContent> & { fieldDigests: Record<string, string> },
) {
  return canonicalJson({
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    payloadHash: parts.payloadHash,
    keyId: parts.keyId,
    signerName: parts.signerName,
    exportedAt: parts.exportedAt,
    fieldDigests: parts.fieldDigests,
  });
}

/** The envelope to sign for `parts`, then `assembleBundle` with its signature. */
export function envelopeOf(parts: BundleParts): string {
  return exportEnvelope({ ...parts, fieldDigests: fieldDigestsOf(parts) });
}

export function assembleBundle(parts: BundleParts, exportSignature: string): ListingBundle {
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    listing: parts.listing,
    version: parts.version,
    changelog: parts.changelog,
    manifest: parts.manifest,
    graph: parts.graph,
    payloadHash: parts.payloadHash,
    signature: parts.signature,
    keyId: parts.keyId,
    publicKeyPem: parts.publicKeyPem,
    signerName: parts.signerName,
    exportedAt: parts.exportedAt,
    fieldDigests: fieldDigestsOf(parts),
    exportSignature,
    ...(parts.tests === undefined ? {} : { tests: parts.tests, testsSignature: parts.testsSignature }),
  };
}

/** `onboard-new-hires-1.2.0.baton.json`. */
export function bundleFileName(title: string, version: string): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'listing'}-${version.replace(/[^0-9A-Za-z.-]/g, '')}${BUNDLE_EXTENSION}`;
}

// Shapes are checked field by field; objects inside the manifest and graph keep unknown members (passthrough) because
// they are signed content: dropping one would make an honest bundle fail its hash.
const text = z.string();
const core = z
  .object({
    id: text,
    publisherWorkspaceId: text,
    workflowId: text,
    title: text,
    description: text,
    category: text,
    tags: z.array(text),
    icon: text,
    visibility: z.enum(LISTING_VISIBILITIES),
  })
  .strict();
const manifest = z
  .object({
    nodes: z.array(z.object({ type: text, version: z.number() }).passthrough()),
    credentials: z.array(z.object({ nodeId: text, nodeName: text, param: text, types: z.array(text) }).passthrough()),
    inputs: z.array(z.object({ key: text, label: text, type: text, required: z.boolean() }).passthrough()),
    tables: z
      .array(
        z
          .object({
            key: text,
            name: text,
            columns: z.array(z.object({ name: text, type: text }).passthrough()),
            targets: z.array(z.object({ nodeId: text, param: text }).passthrough()),
          })
          .passthrough(),
      )
      .optional(),
    minBatonVersion: text,
    permissions: z
      .object({ domains: z.array(text), browser: z.boolean(), gpu: z.boolean(), email: z.boolean() })
      .passthrough(),
  })
  .passthrough();
const graph = z
  .object({
    nodes: z.array(
      z
        .object({
          id: text,
          type: text,
          version: z.number(),
          name: text,
          position: z.object({ x: z.number(), y: z.number() }).passthrough(),
          params: z.record(z.unknown()),
        })
        .passthrough(),
    ),
    edges: z.array(
      z.object({ id: text, source: text, sourcePort: text, target: text, targetPort: text }).passthrough(),
    ),
    settings: z.record(z.unknown()),
  })
  .passthrough();
// The fixtures' own checks (names, caps, which nodes they name) are ir/marketplace/fixtures.ts's, run on import.
const listingTest = z
  .object({ name: text, trigger: z.unknown(), recorded: z.record(z.unknown()), expect: z.record(z.unknown()) })
  .strict();
const bundleSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
    listing: core,
    version: text,
    changelog: text,
    manifest,
    graph,
    payloadHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (sha256)'),
    signature: z.string().min(1),
    keyId: z.string().min(1),
    publicKeyPem: z.string().min(1),
    signerName: z.string().max(200),
    exportedAt: z.string().datetime({ message: 'must be an ISO date-time' }),
    fieldDigests: z.record(z.string()),
    exportSignature: z.string().min(1),
    tests: z.array(listingTest).optional(),
    testsSignature: z.string().min(1).optional(),
  })
  .strict();

/** The bundle in `source`, or a BundleError('format') naming each wrong field. */
export function parseBundle(source: string): ListingBundle {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (err) {
    throw new BundleError('format', `This file is not a Baton bundle: it is not JSON (${(err as Error).message}).`);
  }
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== BUNDLE_FORMAT)
    throw new BundleError('format', `This file is not a Baton bundle: its "format" is not "${BUNDLE_FORMAT}".`);
  const formatVersion = (value as { formatVersion?: unknown }).formatVersion;
  if (formatVersion !== BUNDLE_FORMAT_VERSION)
    throw new BundleError(
      'format',
      `This bundle has formatVersion ${JSON.stringify(formatVersion)}; this Baton reads formatVersion ` +
        `${BUNDLE_FORMAT_VERSION}. Export it again from a Baton of the same version.`,
    );
  const result = bundleSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 8).map((issue) => {
      const field = issue.path.join('.') || 'bundle';
      return issue.code === 'unrecognized_keys'
        ? `${field}: unknown field(s) ${issue.keys.join(', ')}`
        : `${field}: ${issue.message}`;
    });
    throw new BundleError('format', `This bundle is not valid: ${problems.join('; ')}.`);
  }
  return result.data as ListingBundle;
}

const tampered = (what: string) => new BundleError('tampered', `This bundle was changed after it was signed: ${what}.`);

/**
 * Refuses a bundle any byte of which changed since its publisher made it: the key id must be the key's fingerprint,
 * the envelope must be the key's (so the field digests and signer name are the publisher's), every signed field must
 * hash as the envelope says (naming those that do not), and the version signature must hold over the payload.
 */
export function verifyBundle(bundle: ListingBundle, keys: BundleKeys): void {
  let fingerprint: string;
  try {
    fingerprint = keys.fingerprint(bundle.publicKeyPem);
  } catch {
    throw tampered('its publicKeyPem is not an ed25519 public key');
  }
  if (fingerprint !== bundle.keyId)
    throw tampered(`its keyId ${bundle.keyId} is not the fingerprint of its publicKeyPem (${fingerprint})`);
  if (!keys.verify(bundle.publicKeyPem, exportEnvelope(bundle), bundle.exportSignature))
    throw tampered(
      `the signer's export signature does not match its signerName, exportedAt, payloadHash or field digests ` +
        `(key ${bundle.keyId})`,
    );
  const payload = canonicalPayload(bundle);
  const digests = fieldDigestsOf(bundle);
  const changed = Object.keys({ ...digests, ...bundle.fieldDigests }).filter(
    (name) => digests[name] !== bundle.fieldDigests[name],
  );
  if (changed.length > 0)
    throw tampered(`${changed.join(', ')} ${changed.length === 1 ? 'differs' : 'differ'} from what was signed`);
  if (payloadHash(payload) !== bundle.payloadHash) throw tampered('its content does not hash to its payloadHash');
  if (!keys.verify(bundle.publicKeyPem, payload, bundle.signature))
    throw tampered(`its signature does not verify with key ${bundle.keyId}`);
  if (bundle.tests === undefined) {
    if (bundle.testsSignature !== undefined) throw tampered('it has a testsSignature but no tests');
    return;
  }
  if (bundle.testsSignature === undefined) throw tampered('its tests carry no testsSignature');
  if (!keys.verify(bundle.publicKeyPem, testsEnvelope(bundle.payloadHash, bundle.tests), bundle.testsSignature))
    throw tampered(`its testsSignature does not verify with key ${bundle.keyId}`);
}
