// Listings, versions and publisher keys against the real FerretDB: the private key never stored in clear, versions
// signed and verified, rotation keeps old signatures good, revocation and tampering make them fail; semver order
// and duplicates refused; search by token equality with visibility, filters and sorts; the description cap.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import type { ListingManifest } from '../contracts/marketplace';
import { MarketplaceError } from '../contracts/marketplace';
import { testDatabaseUri } from '../test/stack';
import { connectDb, disconnectDb } from './connection';
import {
  addVersion,
  createListing,
  listingVersions,
  searchListings,
  setUnpublished,
  type ListingMeta,
  type VersionContent,
} from './marketplace-listings';
import { activeKey, listKeys, revokeKey, rotateKey, signPayload, verifyPayload } from './publisher-keys';
import { ENCRYPTION_KEY_ENV, formatVaultKey, generateVaultKey, loadVaultKey } from './vault-key';
import { rotateVaultKey } from './vault-rotation';

const savedHome = process.env.BATON_HOME;
const savedKey = process.env[ENCRYPTION_KEY_ENV];
let home: string;

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'baton-marketplace-'));
  process.env.BATON_HOME = home;
  delete process.env[ENCRYPTION_KEY_ENV];
  await connectDb(testDatabaseUri('baton_test_marketplace'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
});

afterAll(async () => {
  await disconnectDb();
  rmSync(home, { recursive: true, force: true });
  process.env.BATON_HOME = savedHome;
  if (savedKey === undefined) delete process.env[ENCRYPTION_KEY_ENV];
  else process.env[ENCRYPTION_KEY_ENV] = savedKey;
});

const manifest = (over: Partial<ListingManifest['permissions']> = {}): ListingManifest => ({
  nodes: [{ type: 'manual-trigger', version: 1 }],
  credentials: [],
  inputs: [],
  minBatonVersion: '0.1.0',
  permissions: { domains: [], browser: false, gpu: false, email: false, ...over },
});
const content = (version: string, over: Partial<ListingManifest['permissions']> = {}): VersionContent => ({
  version,
  changelog: `Changes of ${version}`,
  manifest: manifest(over),
  graph: { nodes: [], edges: [], settings: {} },
});
const meta = (over: Partial<ListingMeta> = {}): ListingMeta => ({
  title: 'Onboard new hires',
  description: 'Creates accounts and **welcomes** people.',
  category: 'HR',
  tags: ['onboarding', 'email'],
  icon: 'user-plus',
  visibility: 'instance',
  ...over,
});

async function refusal(promise: Promise<unknown>): Promise<MarketplaceError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MarketplaceError) return err;
    throw err;
  }
  throw new Error('expected a MarketplaceError');
}

describe('publisher keys', () => {
  test('the private key is sealed: no PEM private key in the store', async () => {
    const key = await activeKey('ws_keys');
    expect(key.keyId).toMatch(/^ed25519-[0-9a-f]{16}$/);
    const stored = await mongoose.connection.db!.collection('publisher_keys').find({}).toArray();
    expect(JSON.stringify(stored)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(stored)).toContain('PUBLIC KEY');
  });

  test('signatures verify with the public key, and not over other bytes', async () => {
    const bytes = Buffer.from('payload');
    const { keyId, signature } = await signPayload('ws_keys', bytes);
    const key = (await listKeys('ws_keys')).find((k) => k.keyId === keyId)!;
    expect(verifyPayload(key.publicKeyPem, bytes, signature)).toBe(true);
    expect(verifyPayload(key.publicKeyPem, Buffer.from('payloaD'), signature)).toBe(false);
    expect(verifyPayload(key.publicKeyPem, bytes, 'not-base64!')).toBe(false);
  });

  test('rotation retires the old key and makes a new active one', async () => {
    const before = await activeKey('ws_rotate');
    const after = await rotateKey('ws_rotate');
    expect(after.keyId).not.toBe(before.keyId);
    const keys = await listKeys('ws_rotate');
    expect(keys.find((k) => k.keyId === before.keyId)!.status).toBe('retired');
    expect((await activeKey('ws_rotate')).keyId).toBe(after.keyId);
  });

  test('another workspace cannot revoke a key', async () => {
    const key = await activeKey('ws_owner');
    expect((await refusal(revokeKey('ws_thief', key.keyId))).code).toBe('not-found');
  });
});

describe('listings and versions', () => {
  test('a listing’s first version is signed and verifies; later versions must be greater', async () => {
    const { listing, version } = await createListing({
      publisherWorkspaceId: 'ws_pub',
      workflowId: 'a'.repeat(24),
      meta: meta(),
      content: content('1.0.0'),
    });
    expect(listing.id).toMatch(/^lst_/);
    expect(listing.latestVersion).toBe('1.0.0');
    expect(version.verified).toBe(true);
    const dup = await refusal(addVersion('ws_pub', listing.id, content('1.0.0')));
    expect(dup.message).toBe('Version 1.0.0 of "Onboard new hires" already exists.');
    const older = await refusal(addVersion('ws_pub', listing.id, content('0.9.0')));
    expect(older.message).toContain('not greater than its latest, 1.0.0');
    const bad = await refusal(addVersion('ws_pub', listing.id, content('1.1')));
    expect(bad.message).toBe('Version "1.1" is not semver (MAJOR.MINOR.PATCH, e.g. 1.2.0)');
    expect((await refusal(addVersion('ws_other', listing.id, content('2.0.0')))).code).toBe('not-found');
    await addVersion('ws_pub', listing.id, content('1.1.0', { email: true }));
    expect((await listingVersions(listing.id)).map((v) => v.version)).toEqual(['1.1.0', '1.0.0']);
  });

  test('rotation keeps old signatures good; revocation fails them; tampering fails them', async () => {
    const { listing } = await createListing({
      publisherWorkspaceId: 'ws_trust',
      workflowId: 'b'.repeat(24),
      meta: meta({ title: 'Trust me' }),
      content: content('1.0.0'),
    });
    const first = (await listingVersions(listing.id))[0];
    await rotateKey('ws_trust');
    await addVersion('ws_trust', listing.id, content('1.1.0'));
    const [newer, older] = await listingVersions(listing.id);
    expect(newer.keyId).not.toBe(first.keyId);
    expect([newer.verified, older.verified, older.keyStatus]).toEqual([true, true, 'retired']);

    await mongoose.connection
      .db!.collection('marketplace_listing_versions')
      .updateOne({ _id: `${listing.id}@1.1.0` as never }, { $set: { changelog: 'Sneaky change' } });
    expect((await listingVersions(listing.id))[0].verified).toBe(false);

    await revokeKey('ws_trust', first.keyId);
    const revoked = (await listingVersions(listing.id)).find((v) => v.version === '1.0.0')!;
    expect([revoked.verified, revoked.keyStatus]).toEqual([false, 'revoked']);
  });

  test('a 10 MB description is refused naming the field and limit; too many tags too', async () => {
    const huge = await refusal(
      createListing({
        publisherWorkspaceId: 'ws_pub',
        workflowId: 'c'.repeat(24),
        meta: meta({ description: 'x'.repeat(10 * 1024 * 1024) }),
        content: content('1.0.0'),
      }),
    );
    expect(huge.message).toBe(
      'Description is 10.0 MB; the limit is 50 KB. Shorten it, or link to longer documentation.',
    );
    const tags = await refusal(
      createListing({
        publisherWorkspaceId: 'ws_pub',
        workflowId: 'c'.repeat(24),
        meta: meta({ tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }),
        content: content('1.0.0'),
      }),
    );
    expect(tags.message).toContain('at most 10 tags');
  });
});

describe('search', () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    const make = async (name: string, ws: string, m: Partial<ListingMeta>, c = content('1.0.0')) => {
      const { listing } = await createListing({
        publisherWorkspaceId: ws,
        workflowId: 'd'.repeat(24),
        meta: meta({ ...m, title: m.title ?? name }),
        content: c,
      });
      ids[name] = listing.id;
    };
    await make(
      'Invoice scraper',
      'ws_s1',
      { category: 'Finance', tags: ['invoices'], visibility: 'public' },
      content('1.0.0', { browser: true }),
    );
    await make('Payroll reminder', 'ws_s1', { category: 'HR', tags: ['payroll'], visibility: 'workspace' });
    await make('Leave requests', 'ws_s2', {
      category: 'HR',
      tags: ['holidays'],
      description: 'Approvals for time off',
      visibility: 'instance',
    });
    await make('Hidden helper', 'ws_s2', { category: 'HR', tags: ['secretive'], visibility: 'instance' });
    await setUnpublished(ids['Hidden helper'], true);
    await mongoose.connection
      .db!.collection('marketplace_listings')
      .updateOne({ _id: ids['Leave requests'] as never }, { $set: { installs: 50 } });
  });

  const titles = async (ws: string, q: Parameters<typeof searchListings>[1]) =>
    (await searchListings(ws, q)).map((l) => l.title).filter((t) => t !== 'Onboard new hires' && t !== 'Trust me');

  test('words and prefixes of title, tags and description match; every word must match', async () => {
    expect(await titles('ws_s1', { q: 'invo' })).toEqual(['Invoice scraper']);
    expect(await titles('ws_s1', { q: 'TIME off' })).toEqual(['Leave requests']);
    expect(await titles('ws_s1', { q: 'invoice payroll' })).toEqual([]);
  });

  test('workspace-only listings stay in their workspace; unpublished ones show only to the publisher', async () => {
    expect(await titles('ws_s2', { q: 'payroll' })).toEqual([]);
    expect(await titles('ws_s1', { q: 'payroll' })).toEqual(['Payroll reminder']);
    expect(await titles('ws_s1', { q: 'hidden' })).toEqual([]);
    expect(await titles('ws_s2', { q: 'hidden' })).toEqual(['Hidden helper']);
  });

  test('filters by category, permission and node type; sorts by installs', async () => {
    expect(await titles('ws_s3', { category: 'Finance' })).toEqual(['Invoice scraper']);
    expect(await titles('ws_s3', { permission: 'browser' })).toEqual(['Invoice scraper']);
    expect(await titles('ws_s3', { nodeType: 'http-request' })).toEqual([]);
    expect((await titles('ws_s3', { sort: 'installs' }))[0]).toBe('Leave requests');
  });
});

test('a vault key rotation re-wraps the signing keys: signing works under the new vault key', async () => {
  const oldKey = loadVaultKey();
  const newKey = generateVaultKey();
  const before = await activeKey('ws_vault');
  const summary = await rotateVaultKey(oldKey, newKey);
  expect(summary.failed).toEqual([]);
  expect(summary.rotated).toBeGreaterThan(0);
  process.env[ENCRYPTION_KEY_ENV] = formatVaultKey(newKey.key);
  const { keyId, signature } = await signPayload('ws_vault', Buffer.from('after rotation'));
  expect(keyId).toBe(before.keyId);
  expect(verifyPayload(before.publicKeyPem, Buffer.from('after rotation'), signature)).toBe(true);
});
