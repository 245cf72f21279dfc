// What the marketplace pages load, against the real FerretDB: the URL's filters (bad values dropped), the featured
// shelf only without filters, filter choices from visible listings only, card previews of the latest version, a
// listing with a long description stored and found by a word of it, and another workspace's private listing answered
// like a missing one. Also the editor's query: the listings made from one workflow.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import type { ListingManifest } from '../../contracts/marketplace';
import { connectDb, disconnectDb } from '../../db/connection';
import { createListing, listingsOfWorkflow, type ListingMeta } from '../../db/marketplace-listings';
import { ENCRYPTION_KEY_ENV } from '../../db/vault-key';
import { systemScope } from '../../db/workspaces';
import { testDatabaseUri } from '../../test/stack';
import type { Caller } from './caller.server';
import { browseFiltersOf, browseMarketplace, marketplaceListing } from './marketplace-pages.server';

const savedHome = process.env.BATON_HOME;
const savedKey = process.env[ENCRYPTION_KEY_ENV];
let home: string;

const callerIn = (workspaceId: string) =>
  ({
    user: { id: `u_${workspaceId}`, email: 'x@baton.test', name: 'X', role: 'member', createdAt: new Date() },
    via: 'session',
    scope: systemScope(workspaceId),
  }) as Caller;

const manifest = (types: string[], email = false): ListingManifest => ({
  nodes: types.map((type) => ({ type, version: 1 })),
  credentials: [],
  inputs: [],
  minBatonVersion: '0.1.0',
  permissions: { domains: [], browser: false, gpu: false, email },
});

async function list(workspaceId: string, workflowId: string, meta: Partial<ListingMeta>, types: string[]) {
  const { listing } = await createListing({
    publisherWorkspaceId: workspaceId,
    workflowId,
    meta: { title: 'A listing', description: '', category: 'HR', tags: [], icon: '', visibility: 'instance', ...meta },
    content: {
      version: '1.0.0',
      changelog: '',
      manifest: manifest(types, types.includes('send-email')),
      graph: {
        nodes: types.map((type, i) => ({
          id: `n${i}`,
          type,
          version: 1,
          name: `Node ${i}`,
          position: { x: i * 300, y: 0 },
          params: {},
        })),
        edges: [],
        settings: {},
      },
    },
  });
  return listing;
}

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'baton-marketplace-pages-'));
  process.env.BATON_HOME = home;
  delete process.env[ENCRYPTION_KEY_ENV];
  await connectDb(testDatabaseUri('baton_test_marketplace_pages'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
}, 60_000);

afterAll(async () => {
  await disconnectDb();
  rmSync(home, { recursive: true, force: true });
  process.env.BATON_HOME = savedHome;
  if (savedKey === undefined) delete process.env[ENCRYPTION_KEY_ENV];
  else process.env[ENCRYPTION_KEY_ENV] = savedKey;
});

test('the URL’s filters: known values kept, a bad permission or sort dropped, most installed by default', () => {
  expect(browseFiltersOf(new URL('http://x/marketplace?q=pto&category=HR&permission=email&sort=rating'))).toEqual({
    q: 'pto',
    category: 'HR',
    permission: 'email',
    nodeType: '',
    sort: 'rating',
  });
  expect(browseFiltersOf(new URL('http://x/marketplace?permission=root&sort=cheapest'))).toEqual({
    q: '',
    category: '',
    permission: '',
    nodeType: '',
    sort: 'installs',
  });
});

test('browse: featured shelf without filters, choices from visible listings, previews, a long description found', async () => {
  const readme = `${'Words about onboarding people. '.repeat(200)}The rare word zeppelin ends it.`;
  const long = await list('ws_a', 'wf_long', { title: 'Long read', description: readme }, ['manual-trigger']);
  const mail = await list('ws_a', 'wf_mail', { title: 'Mail merge', category: 'Ops' }, [
    'manual-trigger',
    'send-email',
  ]);
  const hidden = await list('ws_b', 'wf_hidden', { title: 'Private', category: 'Secret', visibility: 'workspace' }, [
    'http-request',
  ]);
  // Featuring is moderation's (decision 071); here it is set in the store directly.
  await mongoose.connection
    .db!.collection<{ _id: string }>('marketplace_listings')
    .updateOne({ _id: mail.id }, { $set: { featured: true } });

  const page = await browseMarketplace(callerIn('ws_a'), new URL('http://x/marketplace'));
  expect(page.featured.map((l) => l.title)).toEqual(['Mail merge']);
  expect(page.listings.map((l) => l.title).sort()).toEqual(['Long read', 'Mail merge']);
  expect(page.categories).toEqual(['HR', 'Ops']);
  expect(page.nodeTypes.map((n) => n.type)).toEqual(['manual-trigger', 'send-email'].sort());
  expect(page.nodeTypes.find((n) => n.type === 'send-email')!.title).toBe('Send email');
  expect(page.previews[long.id]).toMatch(/^data:image\/svg\+xml;charset=utf-8,/);
  expect(decodeURIComponent(page.previews[mail.id])).toContain('Node 1');

  const found = await browseMarketplace(callerIn('ws_a'), new URL('http://x/marketplace?q=zeppelin'));
  expect(found.featured).toEqual([]);
  expect(found.listings.map((l) => l.id)).toEqual([long.id]);
  const filtered = await browseMarketplace(callerIn('ws_a'), new URL('http://x/marketplace?permission=email'));
  expect(filtered.listings.map((l) => l.id)).toEqual([mail.id]);

  // The private listing is its workspace's alone, on both pages.
  expect(await marketplaceListing(callerIn('ws_a'), hidden.id)).toBeUndefined();
  expect((await marketplaceListing(callerIn('ws_b'), hidden.id))!.publisherName).toBe('A removed workspace');
  const shown = await marketplaceListing(callerIn('ws_b'), long.id);
  expect(shown!.versions.map((v) => [v.version, v.verified])).toEqual([['1.0.0', true]]);
  expect(shown!.preview).toMatch(/^data:image\/svg\+xml/);
  expect(shown!.nodeTypes['manual-trigger'].title).toBe('Manual trigger');
});

test('the listings made from one workflow are its workspace’s only', async () => {
  const mine = await list('ws_c', 'wf_shared_id', { title: 'Mine' }, ['manual-trigger']);
  await list('ws_d', 'wf_shared_id', { title: 'Theirs' }, ['manual-trigger']);
  expect((await listingsOfWorkflow('ws_c', 'wf_shared_id')).map((l) => l.id)).toEqual([mine.id]);
  expect(await listingsOfWorkflow('ws_c', 'wf_other')).toEqual([]);
});
