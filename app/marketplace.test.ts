// The marketplace API through the real web server: publishing a workflow's published version as a signed listing
// whose graph carries no credential id or secret; new versions in semver order; search under the visibility rules;
// the listing page's verification through key rotation and revocation; refusals (viewer, another workspace, a
// 10 MB description) named clearly.
import mongoose from 'mongoose';
import { startWebStack, type WebStack, viewerAndOutsider } from './web-test-stack';
import { chain, docWith, httpNode, webhookNode } from './web-test-documents';

let stack: WebStack;
let viewerToken: string;
let otherToken: string;
let credentialId: string;
let workflowId: string;
const SECRET = 'marketplace-webhook-secret-7f3a';

beforeAll(async () => {
  stack = await startWebStack('marketplace');
  await mongoose.connect(stack.mongoUri);
  ({ viewerToken, otherToken } = await viewerAndOutsider());
  const credential = await stack.api('POST', '/api/credentials', {
    name: 'API key',
    type: 'bearer-token',
    values: { token: 'bearer-value-never-listed' },
  });
  expect(credential.status).toBe(201);
  credentialId = credential.body.credential.id;
  const created = await stack.api('POST', '/api/workflows', {
    name: 'Sync users',
    document: docWith(
      [
        webhookNode('hook', { path: 'sync-users', auth: 'header', secret: SECRET }),
        httpNode('call', {
          url: 'https://api.example.com/users',
          authentication: 'credential',
          credential: credentialId,
        }),
      ],
      [chain('hook', 'call')],
    ),
  });
  expect(created.status).toBe(201);
  workflowId = created.body.workflow.id;
  expect((await stack.api('POST', `/api/workflows/${workflowId}/publish`)).status).toBe(201);
}, 240_000);

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
});

const listingBody = (over: Record<string, unknown> = {}) => ({
  workflowId,
  title: 'Sync users',
  description: 'Pulls **users** from the directory.',
  category: 'IT',
  tags: ['directory', 'sync'],
  icon: 'users',
  visibility: 'workspace',
  version: '1.0.0',
  changelog: 'First release',
  ...over,
});

describe('publishing', () => {
  test('lists the published version: signed, verified, and without the credential id or the secret', async () => {
    const res = await stack.api('POST', '/api/marketplace/listings', listingBody());
    expect(res.status).toBe(201);
    const id = res.body.listing.id as string;
    expect(res.body.version).toMatchObject({ version: '1.0.0', verified: true, keyStatus: 'active' });
    expect(res.body.version.manifest.permissions.domains).toEqual(['api.example.com']);
    expect(res.body.version.manifest.credentials).toEqual([
      expect.objectContaining({ nodeId: 'call', param: 'credential' }),
    ]);
    const detail = await stack.api('GET', `/api/marketplace/listings/${id}`);
    expect(detail.status).toBe(200);
    for (const text of [JSON.stringify(res.body), JSON.stringify(detail.body)]) {
      expect(text).not.toContain(credentialId);
      expect(text).not.toContain(SECRET);
    }
    const stored = await mongoose.connection.db!.collection('marketplace_listing_versions').find({}).toArray();
    expect(JSON.stringify(stored)).not.toContain(credentialId);
    expect(JSON.stringify(stored)).not.toContain(SECRET);
  });

  test('versions must be semver and greater than the latest', async () => {
    const res = await stack.api('POST', '/api/marketplace/listings', listingBody({ title: 'Versioned' }));
    const id = res.body.listing.id as string;
    const bad = await stack.api('POST', `/api/marketplace/listings/${id}/versions`, { version: '1.0' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('Version "1.0" is not semver (MAJOR.MINOR.PATCH, e.g. 1.2.0)');
    const dup = await stack.api('POST', `/api/marketplace/listings/${id}/versions`, { version: '1.0.0' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe('Version 1.0.0 of "Versioned" already exists.');
    const next = await stack.api('POST', `/api/marketplace/listings/${id}/versions`, {
      version: '1.1.0',
      changelog: 'Faster',
    });
    expect(next.status).toBe(201);
    const detail = await stack.api('GET', `/api/marketplace/listings/${id}`);
    expect(detail.body.versions.map((v: { version: string }) => v.version)).toEqual(['1.1.0', '1.0.0']);
    expect(detail.body.listing.latestVersion).toBe('1.1.0');
  });

  test('a 10 MB description is refused naming the limit; 60 KB too', async () => {
    const huge = await stack.api(
      'POST',
      '/api/marketplace/listings',
      listingBody({ description: 'x'.repeat(10 << 20) }),
    );
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toContain("a listing's description may be at most 50 KB");
    const big = await stack.api(
      'POST',
      '/api/marketplace/listings',
      listingBody({ description: 'y'.repeat(60 * 1024) }),
    );
    expect(big.status).toBe(400);
    expect(big.body.error.message).toBe(
      'Description is 60 KB; the limit is 50 KB. Shorten it, or link to longer documentation.',
    );
  });

  test('a viewer may browse but not publish; another workspace cannot list this workspace’s workflow', async () => {
    const viewer = await stack.api('POST', '/api/marketplace/listings', listingBody(), { token: viewerToken });
    expect(viewer.status).toBe(403);
    const other = await stack.api('POST', '/api/marketplace/listings', listingBody(), { token: otherToken });
    expect(other.status).toBe(404);
    expect(other.body.error.message).toBe(`Workflow ${workflowId} does not exist.`);
  });
});

describe('browsing', () => {
  test('workspace listings stay home; instance listings show everywhere; search, filters, sort', async () => {
    await stack.api('POST', '/api/marketplace/listings', listingBody({ title: 'Quarterly roster', tags: ['hr'] }));
    await stack.api(
      'POST',
      '/api/marketplace/listings',
      listingBody({ title: 'Shared roster', visibility: 'instance', category: 'HR' }),
    );
    const titles = async (query: string, token?: string) => {
      const res = await stack.api('GET', `/api/marketplace/listings?${query}`, undefined, token ? { token } : {});
      expect(res.status).toBe(200);
      return (res.body.listings as Array<{ title: string }>).map((l) => l.title);
    };
    expect(await titles('q=roster')).toEqual(['Shared roster', 'Quarterly roster']);
    expect(await titles('q=roster', otherToken)).toEqual(['Shared roster']);
    expect(await titles('q=rost&category=HR', viewerToken)).toEqual(['Shared roster']);
    expect(await titles('q=roster&permission=browser')).toEqual([]);
    expect(await titles('q=roster&nodeType=http-request&sort=installs')).toHaveLength(2);
    const bad = await stack.api('GET', '/api/marketplace/listings?sort=cheapest');
    expect(bad.status).toBe(400);
  });

  test('another workspace gets 404 for a workspace listing', async () => {
    const res = await stack.api('POST', '/api/marketplace/listings', listingBody({ title: 'Private one' }));
    const other = await stack.api('GET', `/api/marketplace/listings/${res.body.listing.id}`, undefined, {
      token: otherToken,
    });
    expect(other.status).toBe(404);
  });
});

describe('signing keys', () => {
  test('rotation keeps old versions verified; revoking the old key fails them', async () => {
    const res = await stack.api('POST', '/api/marketplace/listings', listingBody({ title: 'Key story' }));
    const id = res.body.listing.id as string;
    const firstKey = res.body.version.keyId as string;
    const rotated = await stack.api('POST', '/api/marketplace/keys/rotate');
    expect(rotated.status).toBe(201);
    expect(rotated.body.key.keyId).not.toBe(firstKey);
    const keys = await stack.api('GET', '/api/marketplace/keys');
    const statusOf = (keyId: string) =>
      (keys.body.keys as Array<{ keyId: string; status: string }>).find((k) => k.keyId === keyId)?.status;
    expect([statusOf(firstKey), statusOf(rotated.body.key.keyId)]).toEqual(['retired', 'active']);
    expect(JSON.stringify(keys.body)).not.toContain('PRIVATE');
    expect((await stack.api('GET', `/api/marketplace/listings/${id}`)).body.versions[0].verified).toBe(true);

    const viewer = await stack.api('POST', `/api/marketplace/keys/${firstKey}/revoke`, undefined, {
      token: viewerToken,
    });
    expect(viewer.status).toBe(403);
    const foreign = await stack.api('POST', `/api/marketplace/keys/${firstKey}/revoke`, undefined, {
      token: otherToken,
    });
    expect(foreign.status).toBe(403); // its token lacks the admin scope; the store check is in the matrix
    expect((await stack.api('POST', `/api/marketplace/keys/${firstKey}/revoke`)).status).toBe(200);
    const after = await stack.api('GET', `/api/marketplace/listings/${id}`);
    expect(after.body.versions[0]).toMatchObject({ verified: false, keyStatus: 'revoked' });
  });
});
