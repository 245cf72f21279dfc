// The marketplace's token index against the real FerretDB (docs/decisions/073): its indexes exist, a word near the
// end of a 20 KB description finds its listing, changes of text, visibility and existence change results, a
// workspace-only listing never leaves its workspace even when its entries claim otherwise, listings from before the
// index are backfilled, and a search reading many matches by one pass gives what reading them by id gives.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import type { ListingManifest } from '../contracts/marketplace';
import { testDatabaseUri } from '../test/stack';
import { connectDb, disconnectDb } from './connection';
import {
  backfillSearchIndex,
  createListing,
  ListingModel,
  newListingDoc,
  READ_BY_ID_MAX,
  reindexListing,
  removeListing,
  searchListings,
  setUnpublished,
  type ListingMeta,
} from './marketplace-listings';
import { isIndexed, SearchTokenModel } from './marketplace-search-index';
import { ENCRYPTION_KEY_ENV } from './vault-key';

const savedHome = process.env.BATON_HOME;
const savedKey = process.env[ENCRYPTION_KEY_ENV];
let home: string;

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'baton-marketplace-search-'));
  process.env.BATON_HOME = home;
  delete process.env[ENCRYPTION_KEY_ENV];
  await connectDb(testDatabaseUri('baton_test_marketplace_search'));
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

const manifest: ListingManifest = {
  nodes: [{ type: 'manual-trigger', version: 1 }],
  credentials: [],
  inputs: [],
  minBatonVersion: '0.1.0',
  permissions: { domains: [], browser: false, gpu: false, email: false },
};

const meta = (over: Partial<ListingMeta>): ListingMeta => ({
  title: 'Untitled',
  description: '',
  category: 'Ops',
  tags: [],
  icon: '',
  visibility: 'instance',
  ...over,
});

async function list(workspaceId: string, over: Partial<ListingMeta>): Promise<string> {
  const { listing } = await createListing({
    publisherWorkspaceId: workspaceId,
    workflowId: 'e'.repeat(24),
    meta: meta(over),
    content: { version: '1.0.0', changelog: '', manifest, graph: { nodes: [], edges: [], settings: {} } },
  });
  return listing.id;
}

const found = async (workspaceId: string, q: string) => (await searchListings(workspaceId, { q })).map((l) => l.id);
const entries = (listingId: string) => SearchTokenModel.countDocuments({ listingId });

/** Words that share little: base-26 spellings of large numbers, so each brings several tokens of its own. */
const distinctWord = (i: number) =>
  [...(i * 7919 + 100_000).toString(26)].map((digit) => String.fromCharCode(97 + parseInt(digit, 26))).join('');

test('the token collection has an index on token and on listingId', async () => {
  const indexes = await mongoose.connection.db!.collection('marketplace_search_tokens').listIndexes().toArray();
  const keys = indexes.map((i) => JSON.stringify(i.key));
  expect(keys).toEqual(expect.arrayContaining(['{"token":1}', '{"listingId":1}']));
});

test('prefixes match as before; a word near the end of a 20 KB description finds its listing', async () => {
  const words: string[] = [];
  while (words.join(' ').length < 20 * 1024) words.push(distinctWord(words.length));
  const description = `${words.join(' ')} zeppelin ${distinctWord(words.length)}.`;
  const id = await list('ws_long', { title: 'Long read', description });
  // More entries than the 2,000-token cap of the array the listing held before decision 073.
  expect(await entries(id)).toBeGreaterThan(2000);
  expect(await found('ws_reader', 'zeppelin')).toEqual([id]);
  expect(await found('ws_reader', 'zepp long')).toEqual([id]);
  expect(await found('ws_reader', 'zeppelin short')).toEqual([]);
});

test('a changed text, unpublishing and deleting change what a search finds', async () => {
  const id = await list('ws_pub', { title: 'Invoice chaser', tags: ['finance'] });
  expect(await found('ws_reader', 'invoice')).toEqual([id]);

  // What a text change does (a newer imported version brings new listing fields): store, then reindex.
  await ListingModel.updateOne({ _id: id }, { $set: { title: 'Receipt chaser', searchIndexed: false } });
  await reindexListing(id);
  expect(await found('ws_reader', 'invoice')).toEqual([]);
  expect(await found('ws_reader', 'receipt finance')).toEqual([id]);
  expect(await SearchTokenModel.exists({ listingId: id, token: 'invoice' })).toBeNull();

  // Two indexings of the same listing at once write the same entries: the second's duplicates are not an error.
  const before = await entries(id);
  await SearchTokenModel.deleteMany({ listingId: id });
  await Promise.all([reindexListing(id), reindexListing(id)]);
  expect(await entries(id)).toBe(before);

  await setUnpublished(id, true);
  expect(await found('ws_reader', 'receipt')).toEqual([]);
  expect(await found('ws_pub', 'receipt')).toEqual([id]);
  expect(await SearchTokenModel.exists({ listingId: id, open: true })).toBeNull();
  await setUnpublished(id, false);
  expect(await found('ws_reader', 'receipt')).toEqual([id]);

  await removeListing(id);
  expect(await found('ws_pub', 'receipt')).toEqual([]);
  expect(await isIndexed(id)).toBe(false);
});

test('another workspace never gets a workspace-only listing, even when its entries claim it is open', async () => {
  const id = await list('ws_private', { title: 'Salary sheet', visibility: 'workspace' });
  expect(await found('ws_private', 'salary')).toEqual([id]);
  expect(await found('ws_reader', 'salary')).toEqual([]);
  await SearchTokenModel.updateMany({ listingId: id }, { $set: { open: true } });
  expect(await found('ws_reader', 'salary')).toEqual([]);
  expect(await found('ws_reader', 'sal sheet')).toEqual([]);
});

test('listings from before the index are backfilled once: found, their token array dropped, then nothing to do', async () => {
  const legacy = {
    ...newListingDoc({
      _id: 'lst_legacy',
      publisherWorkspaceId: 'ws_old',
      workflowId: 'w',
      meta: meta({ title: 'Vintage gramophone' }),
    }),
  };
  const { searchIndexed: _unset, ...withoutMarker } = legacy;
  await ListingModel.collection.insertOne({ ...withoutMarker, tokens: ['vi', 'vin', 'vintage'] } as never);
  expect(await found('ws_reader', 'vintage')).toEqual([]);

  expect(await backfillSearchIndex()).toBeGreaterThanOrEqual(1);
  expect(await found('ws_reader', 'gramophone vint')).toEqual(['lst_legacy']);
  const stored = await ListingModel.collection.findOne({ _id: 'lst_legacy' } as never);
  expect(stored).toMatchObject({ searchIndexed: true });
  expect(stored).not.toHaveProperty('tokens');
  expect(await backfillSearchIndex()).toBe(0);
});

test('many matches read in one pass sort and cut like few matches read by id', async () => {
  const count = 420;
  const docs = Array.from({ length: count }, (_, i) => ({
    ...newListingDoc({
      _id: `lst_bulk_${i}`,
      publisherWorkspaceId: 'ws_bulk',
      workflowId: 'w',
      meta: meta({
        title: `Bulk report ${i % 2 ? 'odd' : 'even'}${i % 20 ? '' : ' sample'}`,
        category: i % 3 ? 'Ops' : 'HR',
      }),
    }),
    installs: (i * 37) % count,
  }));
  await ListingModel.collection.insertMany(docs as never[]);
  expect(await backfillSearchIndex()).toBe(count);

  const expected = (keep: (i: number) => boolean) =>
    docs
      .filter((_, i) => keep(i))
      .sort((a, b) => b.installs - a.installs)
      .slice(0, 30)
      .map((d) => d._id);
  const ids = async (q: string, category?: string) =>
    (await searchListings('ws_reader', { q, category, sort: 'installs', limit: 30 })).map((l) => l.id);
  // Both ways of reading the matches are taken below: 420 and 210 matches in one pass, 21 and 7 by id.
  expect([count / 2 > READ_BY_ID_MAX, count / 20 <= READ_BY_ID_MAX]).toEqual([true, true]);
  expect(await ids('bulk')).toEqual(expected(() => true));
  expect(await ids('bulk', 'HR')).toEqual(expected((i) => i % 3 === 0));
  expect(await ids('bulk even')).toEqual(expected((i) => i % 2 === 0));
  expect(await ids('bulk even', 'HR')).toEqual(expected((i) => i % 2 === 0 && i % 3 === 0));
  expect(await ids('bulk sample')).toEqual(expected((i) => i % 20 === 0));
  expect(await ids('sample even', 'HR')).toEqual(expected((i) => i % 20 === 0 && i % 3 === 0));
});
