// Reviews and reports against the real FerretDB: one review per user per listing (a second write edits it), the
// listing's rating recounted from its reviews (also under concurrent writes), newest-first pages, one open report per
// user per listing until a moderator closes it, and moderation's featured/unpublished flags.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { MarketplaceError } from '../contracts/marketplace';
import { testDatabaseUri } from '../test/stack';
import { connectDb, disconnectDb } from './connection';
import {
  createListing,
  flaggedListings,
  getListing,
  recountRating,
  searchListings,
  setFeatured,
  setUnpublished,
} from './marketplace-listings';
import {
  decideReport,
  deleteReview,
  fileReport,
  listReviews,
  openReportOf,
  openReports,
  ratingSummary,
  saveReview,
} from './marketplace-reviews';
import { ENCRYPTION_KEY_ENV } from './vault-key';

const savedHome = process.env.BATON_HOME;
const savedKey = process.env[ENCRYPTION_KEY_ENV];
let home: string;

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'baton-reviews-'));
  process.env.BATON_HOME = home;
  delete process.env[ENCRYPTION_KEY_ENV];
  await connectDb(testDatabaseUri('baton_test_marketplace_reviews'));
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

let counter = 0;
async function listing(visibility: 'workspace' | 'instance' = 'instance') {
  counter++;
  const { listing } = await createListing({
    publisherWorkspaceId: 'ws_publisher',
    workflowId: `wf_${counter}`,
    meta: {
      title: `Listing ${counter}`,
      description: '',
      category: 'HR',
      tags: [],
      icon: '',
      visibility,
    },
    content: {
      version: '1.0.0',
      changelog: '',
      manifest: {
        nodes: [],
        credentials: [],
        inputs: [],
        minBatonVersion: '0.1.0',
        permissions: { domains: [], browser: false, gpu: false, email: false },
      },
      graph: { nodes: [], edges: [], settings: {} },
    },
  });
  return listing;
}

const review = (listingId: string, userId: string, rating: number, text = '') =>
  saveReview({ listingId, userId, authorName: `User ${userId}`, rating, text, version: '1.0.0' });

describe('reviews', () => {
  test('one per user per listing: a second write edits it, and the rating follows', async () => {
    const { id } = await listing();
    const first = await review(id, 'u_a', 2, 'Meh');
    expect(first.created).toBe(true);
    const edited = await review(id, 'u_a', 5, 'Great after **1.0.0**');
    expect(edited.created).toBe(false);
    expect(edited.review).toMatchObject({ id: first.review.id, rating: 5, text: 'Great after **1.0.0**' });
    expect(edited.review.createdAt).toBe(first.review.createdAt);
    await review(id, 'u_b', 4);
    expect((await listReviews(id)).reviews).toHaveLength(2);
    expect(await getListing(id)).toMatchObject({ rating: 4.5, ratingCount: 2 });
    expect(await ratingSummary(id)).toEqual({ average: 4.5, count: 2, distribution: [0, 0, 0, 1, 1] });
  });

  test('deleting recounts; deleting nothing says so', async () => {
    const { id } = await listing();
    await review(id, 'u_a', 1);
    await review(id, 'u_b', 3);
    expect(await deleteReview(id, 'u_a')).toBe(true);
    expect(await getListing(id)).toMatchObject({ rating: 3, ratingCount: 1 });
    expect(await deleteReview(id, 'u_a')).toBe(false);
    expect(await deleteReview(id, 'u_b')).toBe(true);
    expect(await getListing(id)).toMatchObject({ rating: null, ratingCount: 0 });
  });

  test('twenty reviews written at once leave the exact count and mean, and rating sort sees it', async () => {
    const { id } = await listing();
    const ratings = Array.from({ length: 20 }, (_, i) => (i % 5) + 1);
    await Promise.all(ratings.map((rating, i) => review(id, `u_${i}`, rating)));
    expect(await getListing(id)).toMatchObject({ rating: 3, ratingCount: 20 });
    const stored = await mongoose.connection.db!.collection('marketplace_listings').findOne({ _id: id as never });
    expect(stored).toMatchObject({ ratingSum: 60, ratingCount: 20, rating: 3 });
  });

  test('a recount whose tally went stale meanwhile tallies again instead of overwriting the newer one', async () => {
    const { id } = await listing();
    const tallies: string[] = [];
    await recountRating(id, async () => {
      tallies.push('outer');
      if (tallies.length > 1) return { sum: 9, count: 2 };
      // Another writer's review lands and its recount sets the listing between this tally and its set.
      await recountRating(id, async () => {
        tallies.push('inner');
        return { sum: 9, count: 2 };
      });
      return { sum: 1, count: 1 };
    });
    expect(tallies).toEqual(['outer', 'inner', 'outer']);
    expect(await getListing(id)).toMatchObject({ rating: 4.5, ratingCount: 2 });
  });

  test('stars and text are checked, naming the field', async () => {
    const { id } = await listing();
    await expect(review(id, 'u_a', 6)).rejects.toThrow(
      new MarketplaceError('invalid', 'Rating must be a whole number of stars from 1 to 5; got 6.'),
    );
    await expect(review(id, 'u_a', 3, 'x'.repeat(5001))).rejects.toThrow(
      'Review text is 5001 characters; the limit is 5000.',
    );
  });

  test('pages are newest first and the cursor continues where the page ended', async () => {
    const { id } = await listing();
    for (let i = 0; i < 5; i++) await review(id, `u_page_${i}`, 3, `Review ${i}`);
    const first = await listReviews(id, { limit: 3 });
    expect(first.reviews.map((r) => r.text)).toEqual(['Review 4', 'Review 3', 'Review 2']);
    const second = await listReviews(id, { limit: 3, after: first.next });
    expect(second.reviews.map((r) => r.text)).toEqual(['Review 1', 'Review 0']);
    expect(second.next).toBeUndefined();
    await expect(listReviews(id, { after: 'bm9wZQ' })).rejects.toThrow(/Cursor is not one a reviews page/);
  });
});

describe('reports', () => {
  test('one open report per user per listing; closing it lets them report again', async () => {
    const { id, title } = await listing();
    const input = {
      listingId: id,
      listingTitle: title,
      reporterId: 'u_r',
      reporterName: 'Reporter',
      reason: 'spam' as const,
      text: 'Ads',
    };
    const report = await fileReport(input);
    expect(report).toMatchObject({ status: 'open', reason: 'spam', listingTitle: title });
    await expect(fileReport(input)).rejects.toThrow(
      new MarketplaceError(
        'conflict',
        'You already reported this listing, and a moderator has not handled that report yet.',
      ),
    );
    await expect(
      Promise.all([fileReport({ ...input, reporterId: 'u_s' }), fileReport({ ...input, reporterId: 'u_s' })]),
    ).rejects.toThrow(/already reported/);
    expect((await openReportOf(id, 'u_r'))?.id).toBe(report.id);
    expect((await openReports()).map((r) => r.id)).toContain(report.id);
    const closed = await decideReport(report.id, 'dismiss', { id: 'u_mod', name: 'Mod' }, 'Not spam');
    expect(closed).toMatchObject({ status: 'dismissed', handledByName: 'Mod', note: 'Not spam' });
    await expect(decideReport(report.id, 'resolve', { id: 'u_mod', name: 'Mod' }, '')).rejects.toThrow(
      `Report ${report.id} is already dismissed.`,
    );
    expect(await openReportOf(id, 'u_r')).toBeUndefined();
    expect((await openReports()).map((r) => r.id)).not.toContain(report.id);
    expect((await fileReport(input)).id).not.toBe(report.id);
  });
});

describe('moderation flags', () => {
  test('featured and unpublished listings are listed; an unpublished one is hidden from other workspaces', async () => {
    const { id } = await listing();
    await setFeatured(id, true);
    expect((await flaggedListings('featured')).map((l) => l.id)).toContain(id);
    expect((await searchListings('ws_reader')).map((l) => l.id)).toContain(id);
    await setUnpublished(id, true);
    expect((await flaggedListings('unpublished')).map((l) => l.id)).toContain(id);
    expect((await searchListings('ws_reader')).map((l) => l.id)).not.toContain(id);
    expect((await searchListings('ws_publisher')).map((l) => l.id)).toContain(id);
    await setFeatured(id, false);
    await setUnpublished(id, false);
    expect((await flaggedListings('featured')).map((l) => l.id)).not.toContain(id);
    expect((await searchListings('ws_reader')).map((l) => l.id)).toContain(id);
  });
});
