// Bundles with real ed25519 keys (node:crypto): a round trip verifies; a change to any signed field, to the
// envelope, to the key or to a signature is refused naming what changed; wrong formats are refused naming the field.
// A version's test fixtures travel signed: a changed, dropped or re-signed fixture is refused.
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { ListingBundle } from '../../contracts/marketplace-bundle';
import type { ListingTest } from '../../contracts/marketplace-tests';
import {
  assembleBundle,
  BundleError,
  bundleFileName,
  envelopeOf,
  parseBundle,
  verifyBundle,
  type BundleKeys,
  type BundleParts,
} from './bundle';
import { canonicalPayload, payloadHash } from './payload';
import { testsEnvelope } from './tests-signature';

const keys: BundleKeys = {
  fingerprint: (pem) =>
    `ed25519-${createHash('sha256')
      .update(createPublicKey(pem).export({ type: 'spki', format: 'der' }))
      .digest('hex')
      .slice(0, 16)}`,
  verify: (pem, text, signature) => {
    try {
      return verify(null, Buffer.from(text, 'utf8'), pem, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  },
};

function keyPair() {
  return generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}
const publisher = keyPair();
const signText = (text: string, privateKey = publisher.privateKey) =>
  sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64');

const fixtures: ListingTest[] = [
  {
    name: 'Greets Ada',
    trigger: { id: 7 },
    recorded: { call: { output: { status: 200, body: { name: 'Ada' } } } },
    expect: { shape: { label: 'Hello Ada' } },
  },
];

function signedBundle(withTests = false): ListingBundle {
  const content = {
    listing: {
      id: 'lst_1',
      publisherWorkspaceId: 'ws_a',
      workflowId: 'wf_1',
      title: 'Onboard new hires',
      description: 'Creates **accounts**.',
      category: 'HR',
      tags: ['onboarding'],
      icon: 'user-plus',
      visibility: 'instance' as const,
    },
    version: '1.2.0',
    changelog: 'Welcome mail',
    manifest: {
      nodes: [{ type: 'manual-trigger', version: 1 }],
      credentials: [],
      inputs: [],
      minBatonVersion: '0.1.0',
      permissions: { domains: ['api.example.com'], browser: false, gpu: false, email: true },
    },
    graph: {
      nodes: [{ id: 'start', type: 'manual-trigger', version: 1, name: 'Start', position: { x: 0, y: 0 }, params: {} }],
      edges: [],
      settings: {},
    },
  };
  const payload = canonicalPayload(content);
  const parts: BundleParts = {
    ...content,
    payloadHash: payloadHash(payload),
    signature: signText(payload),
    keyId: keys.fingerprint(publisher.publicKey),
    publicKeyPem: publisher.publicKey,
    signerName: 'Acme HR',
    exportedAt: '2026-12-01T12:00:00.000Z',
    ...(withTests ? { tests: fixtures, testsSignature: signText(testsEnvelope(payloadHash(payload), fixtures)) } : {}),
  };
  return assembleBundle(parts, signText(envelopeOf(parts)));
}

function refusal(bundle: ListingBundle): BundleError {
  try {
    verifyBundle(bundle, keys);
  } catch (err) {
    if (err instanceof BundleError) return err;
    throw err;
  }
  throw new Error('the bundle was accepted');
}

/** The bundle written to a file and read back, with `edit` applied to the parsed JSON in between. */
const edited = (edit: (b: any) => void, withTests = false): ListingBundle => {
  const copy = JSON.parse(JSON.stringify(signedBundle(withTests)));
  edit(copy);
  return parseBundle(JSON.stringify(copy));
};

test('a bundle written to text and parsed back verifies', () => {
  const bundle = parseBundle(JSON.stringify(signedBundle(), null, 2));
  expect(() => verifyBundle(bundle, keys)).not.toThrow();
  expect(bundle).toEqual(signedBundle());
});

test.each([
  ['listing.title', (b: any) => (b.listing.title = 'Onboard new hire')],
  ['listing.description', (b: any) => (b.listing.description += ' ')],
  ['listing.tags', (b: any) => b.listing.tags.push('free')],
  ['listing.publisherWorkspaceId', (b: any) => (b.listing.publisherWorkspaceId = 'ws_b')],
  ['listing.visibility', (b: any) => (b.listing.visibility = 'public')],
  ['version', (b: any) => (b.version = '1.2.1')],
  ['changelog', (b: any) => (b.changelog = 'Welcome mails')],
  ['manifest', (b: any) => (b.manifest.permissions.domains = [])],
  ['graph', (b: any) => (b.graph.nodes[0].params.url = 'https://evil.example')],
  ['graph', (b: any) => (b.graph.nodes[0].position.x = 1)],
])('a changed %s is refused naming it', (field, edit) => {
  const err = refusal(edited(edit));
  expect(err.problem).toBe('tampered');
  expect(err.message).toBe(`This bundle was changed after it was signed: ${field} differs from what was signed.`);
});

test('two changed fields are both named', () => {
  const err = refusal(
    edited((b) => {
      b.listing.title = 'Other';
      b.graph.edges.push({ id: 'e', source: 'start', sourcePort: 'out', target: 'x', targetPort: 'in' });
    }),
  );
  expect(err.message).toBe(
    'This bundle was changed after it was signed: listing.title, graph differ from what was signed.',
  );
});

test.each([
  ['signerName', (b: any) => (b.signerName = 'Baton official'), /export signature does not match/],
  ['exportedAt', (b: any) => (b.exportedAt = '2027-01-01T00:00:00.000Z'), /export signature does not match/],
  ['payloadHash', (b: any) => (b.payloadHash = 'f'.repeat(64)), /export signature does not match/],
  ['a field digest', (b: any) => (b.fieldDigests.graph = 'f'.repeat(64)), /export signature does not match/],
  [
    'keyId',
    (b: any) => (b.keyId = 'ed25519-0000000000000000'),
    /keyId ed25519-0000000000000000 is not the fingerprint/,
  ],
  ['publicKeyPem (another key)', (b: any) => (b.publicKeyPem = keyPair().publicKey), /is not the fingerprint/],
  ['publicKeyPem (garbage)', (b: any) => (b.publicKeyPem = 'not a key'), /publicKeyPem is not an ed25519 public key/],
  ['the signature', (b: any) => (b.signature = signText('something else')), /its signature does not verify with key/],
])('a changed %s is refused', (_what, edit, message) => {
  const err = refusal(edited(edit));
  expect(err.problem).toBe('tampered');
  expect(err.message).toMatch(/^This bundle was changed after it was signed: /);
  expect(err.message).toMatch(message);
});

test('content and envelope re-signed by another key are refused by the key id check', () => {
  const forger = keyPair();
  const err = refusal(
    edited((b) => {
      b.publicKeyPem = forger.publicKey;
    }),
  );
  expect(err.message).toMatch(/is not the fingerprint of its publicKeyPem/);
});

test.each([
  ['not JSON', 'nope', 'This file is not a Baton bundle: it is not JSON'],
  ['another format', JSON.stringify({ format: 'n8n' }), 'This file is not a Baton bundle: its "format" is not'],
  [
    'a newer format version',
    JSON.stringify({ format: 'baton-bundle', formatVersion: 2 }),
    'This bundle has formatVersion 2; this Baton reads formatVersion 1.',
  ],
])('%s is refused', (_what, source, message) => {
  try {
    parseBundle(source);
    throw new Error('accepted');
  } catch (err) {
    expect((err as BundleError).problem).toBe('format');
    expect((err as Error).message).toContain(message);
  }
});

test('wrong or unknown fields are named', () => {
  const bundle: any = signedBundle();
  bundle.listing.title = 7;
  delete bundle.graph;
  bundle.extra = true;
  bundle.payloadHash = 'ABC';
  expect(() => parseBundle(JSON.stringify(bundle))).toThrow(
    'This bundle is not valid: listing.title: Expected string, received number; graph: Required; ' +
      'payloadHash: must be 64 lowercase hex digits (sha256); bundle: unknown field(s) extra.',
  );
});

describe('test fixtures', () => {
  test('travel with their signature and their digest in the envelope, and verify after a round trip', () => {
    const bundle = parseBundle(JSON.stringify(signedBundle(true), null, 2));
    expect(bundle.tests).toEqual(fixtures);
    expect(Object.keys(bundle.fieldDigests)).toContain('tests');
    expect(() => verifyBundle(bundle, keys)).not.toThrow();
    // Without fixtures the digests are the ones bundles had before fixtures travelled.
    expect(Object.keys(signedBundle().fieldDigests)).not.toContain('tests');
  });

  test.each([
    ['a recorded response', (b: any) => (b.tests[0].recorded.call.output.body.name = 'Eve')],
    ['an expected output', (b: any) => (b.tests[0].expect.shape.label = 'Hello Eve')],
    ['the trigger input', (b: any) => (b.tests[0].trigger.id = 8)],
    ['the test list', (b: any) => b.tests.push({ ...b.tests[0], name: 'Added' })],
    ['the test list (dropped)', (b: any) => delete b.tests],
  ])('a changed fixture (%s) is refused naming the tests', (_what, edit) => {
    const err = refusal(edited(edit, true));
    expect(err.problem).toBe('tampered');
    expect(err.message).toBe('This bundle was changed after it was signed: tests differs from what was signed.');
  });

  test('fixtures added to a bundle signed without them are refused', () => {
    const err = refusal(
      edited((b) => {
        b.tests = fixtures;
        b.testsSignature = signText(testsEnvelope(b.payloadHash, fixtures));
      }),
    );
    expect(err.message).toBe('This bundle was changed after it was signed: tests differs from what was signed.');
  });

  test.each([
    ['missing', (b: any) => delete b.testsSignature, 'its tests carry no testsSignature'],
    [
      'by another key',
      (b: any) => (b.testsSignature = signText(testsEnvelope(b.payloadHash, b.tests), keyPair().privateKey)),
      /its testsSignature does not verify with key ed25519-/,
    ],
    [
      'for another version',
      (b: any) => (b.testsSignature = signText(testsEnvelope('0'.repeat(64), b.tests))),
      /its testsSignature does not verify with key ed25519-/,
    ],
  ])('a fixtures signature %s is refused', (_what, edit, message) => {
    const err = refusal(edited(edit, true));
    expect(err.problem).toBe('tampered');
    expect(err.message).toMatch(message);
  });

  test('a fixture of the wrong shape is refused naming the field', () => {
    const bundle: any = signedBundle(true);
    bundle.tests[0].recorded = 'nope';
    expect(() => parseBundle(JSON.stringify(bundle))).toThrow(
      'This bundle is not valid: tests.0.recorded: Expected object, received string.',
    );
  });
});

test('file names are slugs of the title and the version', () => {
  expect(bundleFileName('Onboard New Hires (HR)!', '1.2.0')).toBe('onboard-new-hires-hr-1.2.0.baton.json');
  expect(bundleFileName('***', '2.0.0-beta.1')).toBe('listing-2.0.0-beta.1.baton.json');
});
