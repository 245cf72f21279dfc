// Signed bundles through the real web server and FerretDB (docs/decisions/070): a version exported as a download and
// imported into another workspace verifies there and names its signer; a tampered bundle, a duplicate, a bundle
// past 2 MB and one whose key was revoked are refused with clear messages; a bundle from another instance keeps its
// key and verifies only there, even when it names a workspace id that exists here; a viewer cannot import.
import { generateKeyPairSync, sign } from 'node:crypto';
import mongoose from 'mongoose';
import type { ListingBundle } from '../contracts/marketplace-bundle';
import { fingerprintOf } from '../db/publisher-keys';
import { assembleBundle, envelopeOf, type BundleParts } from '../ir/marketplace/bundle';
import { canonicalPayload, payloadHash } from '../ir/marketplace/payload';
import { docWith, manualNode } from './web-test-documents';
import { startWebStack, type WebStack, viewerAndOutsider } from './web-test-stack';

let stack: WebStack;
let viewerToken: string;
let otherToken: string;
let listingId: string;
let bundleText: string;
/** The other workspace's copy of the listing. */
let importedId: string;

beforeAll(async () => {
  stack = await startWebStack('marketplace_bundle');
  await mongoose.connect(stack.mongoUri);
  ({ viewerToken, otherToken } = await viewerAndOutsider());
  const created = await stack.api('POST', '/api/workflows', {
    name: 'Welcome mail',
    document: docWith([manualNode('start')]),
  });
  expect(created.status).toBe(201);
  const workflowId = created.body.workflow.id;
  expect((await stack.api('POST', `/api/workflows/${workflowId}/publish`)).status).toBe(201);
  const listed = await stack.api('POST', '/api/marketplace/listings', {
    workflowId,
    title: 'Welcome mail (HR)',
    description: 'Greets **new hires**.',
    category: 'HR',
    tags: ['onboarding'],
    visibility: 'instance',
    version: '1.0.0',
    changelog: 'First',
  });
  expect(listed.status).toBe(201);
  listingId = listed.body.listing.id;
}, 240_000);

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
});

/** POSTs a bundle file's text as the body, as the import dialog does. */
const importText = (text: string, token?: string) =>
  stack.api('POST', '/api/marketplace/bundles', undefined, { raw: text, ...(token ? { token } : {}) });

const edit = (text: string, change: (b: any) => void) => {
  const bundle = JSON.parse(text);
  change(bundle);
  return JSON.stringify(bundle);
};

test('a version exports as a signed bundle download', async () => {
  const res = await fetch(`${stack.url}/api/marketplace/listings/${listingId}/versions/1.0.0/bundle`, {
    headers: { Authorization: `Bearer ${stack.token}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toBe('attachment; filename="welcome-mail-hr-1.0.0.baton.json"');
  bundleText = await res.text();
  const bundle = JSON.parse(bundleText) as ListingBundle;
  expect(bundle).toMatchObject({
    format: 'baton-bundle',
    formatVersion: 1,
    listing: { id: listingId, title: 'Welcome mail (HR)', visibility: 'instance' },
    version: '1.0.0',
    changelog: 'First',
    signerName: 'Default workspace',
  });
  expect(bundle.keyId).toBe(fingerprintOf(bundle.publicKeyPem));
  expect(bundleText).not.toMatch(/PRIVATE KEY/);
  const missing = await stack.api('GET', `/api/marketplace/listings/${listingId}/versions/9.9.9/bundle`);
  expect(missing.status).toBe(404);
});

test('another workspace imports it: a listing of its own that verifies and names the signer', async () => {
  const res = await importText(bundleText, otherToken);
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ version: '1.0.0', createdListing: true });
  importedId = res.body.listingId;
  const imported = await stack.api('GET', `/api/marketplace/listings/${res.body.listingId}`, undefined, {
    token: otherToken,
  });
  expect(imported.status).toBe(200);
  expect(imported.body.listing).toMatchObject({ title: 'Welcome mail (HR)', visibility: 'workspace' });
  expect(imported.body.versions[0]).toMatchObject({
    version: '1.0.0',
    verified: true,
    keyStatus: 'active',
    signerName: 'Default workspace',
    imported: true,
    problem: '',
  });
  // Visibility `workspace`: the publisher does not see the importer's copy.
  expect((await stack.api('GET', `/api/marketplace/listings/${res.body.listingId}`)).status).toBe(404);
  // Its bundle goes out as it came in.
  const again = await stack.api(
    'GET',
    `/api/marketplace/listings/${res.body.listingId}/versions/1.0.0/bundle`,
    undefined,
    { token: otherToken },
  );
  expect(again.body).toEqual(JSON.parse(bundleText));
  // New versions of an imported listing come as bundles, never signed by the importer.
  const own = await stack.api(
    'POST',
    `/api/marketplace/listings/${res.body.listingId}/versions`,
    { version: '2.0.0' },
    {
      token: otherToken,
    },
  );
  expect(own.status).toBe(409);
  expect(own.body.error.message).toContain('was imported from a bundle');

  const duplicate = await importText(bundleText, otherToken);
  expect(duplicate.status).toBe(409);
  expect(duplicate.body.error.message).toBe(
    'Version 1.0.0 of "Welcome mail (HR)" was already imported into this workspace.',
  );
});

test('the same workspace may import its own bundle as a second listing', async () => {
  const res = await importText(bundleText);
  expect(res.status).toBe(201);
  expect(res.body.listingId).not.toBe(listingId);
});

test.each([
  ['the title', (b: any) => (b.listing.title = 'Welcome mail (IT)'), 'listing.title differs from what was signed'],
  ['the graph', (b: any) => (b.graph.nodes[0].name = 'Go'), 'graph differs from what was signed'],
  ['the version', (b: any) => (b.version = '1.0.1'), 'version differs from what was signed'],
  ['the signer', (b: any) => (b.signerName = 'Baton'), "the signer's export signature does not match"],
])('a bundle with %s changed is refused', async (_what, change, message) => {
  const res = await importText(edit(bundleText, change), otherToken);
  expect(res.status).toBe(400);
  expect(res.body.error.message).toMatch(/^This bundle was changed after it was signed: /);
  expect(res.body.error.message).toContain(message);
});

test('bad files are refused naming the field; a viewer may not import; 2 MB is the limit', async () => {
  const bad = await importText(
    edit(bundleText, (b) => delete b.manifest),
    otherToken,
  );
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toBe('This bundle is not valid: manifest: Required.');
  const notJson = await importText('{"format":', otherToken);
  expect(notJson.status).toBe(400);
  expect(notJson.body.error.message).toMatch(/^This file is not a Baton bundle: it is not JSON/);
  const viewer = await importText(bundleText, viewerToken);
  expect(viewer.status).toBe(403);
  const huge = await importText(
    edit(bundleText, (b) => (b.changelog = 'x'.repeat(3 << 20))),
    otherToken,
  );
  expect(huge.status).toBe(413);
  expect(huge.body.error.message).toContain('This bundle is larger than 2 MB');
});

function foreignBundle(publisherWorkspaceId: string, originId = 'lst_elsewhere'): string {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const content = {
    ...(JSON.parse(bundleText) as ListingBundle),
    listing: { ...(JSON.parse(bundleText) as ListingBundle).listing, id: originId, publisherWorkspaceId },
  };
  const payload = canonicalPayload(content);
  const signText = (text: string) => sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64');
  const parts: BundleParts = {
    listing: content.listing,
    version: content.version,
    changelog: content.changelog,
    manifest: content.manifest,
    graph: content.graph,
    payloadHash: payloadHash(payload),
    signature: signText(payload),
    keyId: fingerprintOf(publicKey),
    publicKeyPem: publicKey,
    signerName: 'Elsewhere Inc.',
    exportedAt: new Date().toISOString(),
  };
  return JSON.stringify(assembleBundle(parts, signText(envelopeOf(parts))));
}

test('a bundle from another instance keeps its key, also when it names a workspace id that exists here', async () => {
  const res = await importText(foreignBundle('ws_elsewhere'), otherToken);
  expect(res.status).toBe(201);
  const read = await stack.api('GET', `/api/marketplace/listings/${res.body.listingId}`, undefined, {
    token: otherToken,
  });
  expect(read.body.versions[0]).toMatchObject({ verified: true, signerName: 'Elsewhere Inc.', imported: true });
  const stored = await mongoose.connection.db!.collection('imported_publisher_keys').findOne({});
  expect(stored).toMatchObject({ signerName: 'Elsewhere Inc.', status: 'active' });

  // Workspace ids repeat across instances (each has ws_default): a bundle naming one of this instance's workspaces
  // but signed by a key unknown here is a foreign signer's, shown by its own fingerprint, never verified as local.
  const named = foreignBundle('ws_default', 'lst_named');
  const namedRes = await importText(named, otherToken);
  expect(namedRes.status).toBe(201);
  const namedRead = await stack.api('GET', `/api/marketplace/listings/${namedRes.body.listingId}`, undefined, {
    token: otherToken,
  });
  expect(namedRead.body.versions[0]).toMatchObject({
    verified: true,
    imported: true,
    signerName: 'Elsewhere Inc.',
    keyId: (JSON.parse(named) as ListingBundle).keyId,
  });
  const defaultKeys = await stack.api('GET', '/api/marketplace/keys');
  expect(defaultKeys.body.keys.map((k: { keyId: string }) => k.keyId)).not.toContain(
    (JSON.parse(named) as ListingBundle).keyId,
  );
});

test('a workspace may stop trusting a kept key: its copy stops verifying, its bundles are refused, elsewhere too', async () => {
  const text = foreignBundle('ws_far_away', 'lst_far');
  const keyId = (JSON.parse(text) as ListingBundle).keyId;
  const res = await importText(text);
  expect(res.status).toBe(201);
  const keys = await stack.api('GET', '/api/marketplace/keys');
  expect(keys.body.importedKeys).toEqual([
    expect.objectContaining({ keyId, signerName: 'Elsewhere Inc.', status: 'active' }),
  ]);
  const revoked = await stack.api('POST', `/api/marketplace/keys/${keyId}/revoke`);
  expect(revoked.status).toBe(200);
  expect(revoked.body.importedKey).toMatchObject({ keyId, status: 'revoked' });
  const read = await stack.api('GET', `/api/marketplace/listings/${res.body.listingId}`);
  expect(read.body.versions[0]).toMatchObject({ verified: false, keyStatus: 'revoked' });
  const again = await importText(text);
  expect(again.status).toBe(400);
  expect(again.body.error.message).toMatch(
    /^This bundle is signed by key .* \("Elsewhere Inc\."\), which was revoked here/,
  );
  // Trust is the workspace's own: another workspace still imports it.
  expect((await importText(text, otherToken)).status).toBe(201);
});

test('after the publisher revokes the key, its bundle is refused and imported copies stop verifying', async () => {
  const keyId = (JSON.parse(bundleText) as ListingBundle).keyId;
  expect((await stack.api('POST', `/api/marketplace/keys/${keyId}/revoke`)).status).toBe(200);
  const res = await importText(bundleText, otherToken);
  expect(res.status).toBe(400);
  expect(res.body.error.message).toMatch(
    new RegExp(
      `^This bundle is signed by key ${keyId} \\("Default workspace"\\), which was revoked here on \\d{4}-\\d\\d-\\d\\d`,
    ),
  );
  const read = await stack.api('GET', `/api/marketplace/listings/${importedId}`, undefined, { token: otherToken });
  expect(read.body.versions[0]).toMatchObject({ verified: false, keyStatus: 'revoked' });
  expect(read.body.versions[0].problem).toMatch(
    /^Signing key .* was revoked on .*: what it signed no longer verifies\.$/,
  );
  const exported = await stack.api('GET', `/api/marketplace/listings/${listingId}/versions/1.0.0/bundle`);
  expect(exported.status).toBe(409);
  expect(exported.body.error.message).toContain('does not verify, so it cannot be exported');
});
