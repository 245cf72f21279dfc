// The marketplace's token index (docs/decisions/073): one small document per (listing, search token) of
// ir/marketplace/search-tokens.ts. A query word is then a top-level equality on `token`, which a plain index serves on
// FerretDB (storage rules: no text indexes), and a README-sized description is thousands of small documents rather
// than one array too big for an index entry (068). Each entry carries the listing's visibility, so a search reads
// only entries of listings the caller may see; the listing itself still decides, so the copy may lag behind it only
// in the direction that shows nothing extra (see setIndexedOpen).
import mongoose, { Schema } from 'mongoose';
import type { ListingVisibility } from '../contracts/marketplace';
import { searchTokens } from '../ir/marketplace/search-tokens';
import { isDuplicateKey } from './duplicate-key';

export interface SearchTokenDoc {
  _id: string; // `<listing id>:<token>`: writing an entry twice is a duplicate key, never a second entry
  token: string;
  listingId: string;
  publisherWorkspaceId: string;
  /** Whether workspaces other than the publisher's may see the listing: instance or public, and not unpublished. */
  open: boolean;
}

/** What indexing a listing reads from it. */
export interface IndexedListing {
  _id: string;
  publisherWorkspaceId: string;
  title: string;
  tags: string[];
  description: string;
  visibility: ListingVisibility;
  unpublished: boolean;
}

// Looked up first because dev mode loads this module twice (tsx for server.ts, Vite SSR for routes).
export const SearchTokenModel =
  (mongoose.models.MarketplaceSearchToken as mongoose.Model<SearchTokenDoc>) ??
  mongoose.model<SearchTokenDoc>(
    'MarketplaceSearchToken',
    new Schema<SearchTokenDoc>(
      {
        _id: String,
        token: { type: String, required: true, index: true },
        listingId: { type: String, required: true, index: true },
        publisherWorkspaceId: { type: String, required: true },
        open: { type: Boolean, required: true },
      },
      { collection: 'marketplace_search_tokens', versionKey: false },
    ),
  );

/** Entries written or deleted per command: a 50 KB description makes up to 20,000 of them. */
const BATCH = 2000;

const entryId = (listingId: string, token: string) => `${listingId}:${token}`;

export const isOpen = (listing: Pick<IndexedListing, 'visibility' | 'unpublished'>) =>
  listing.visibility !== 'workspace' && !listing.unpublished;

export const listingTokens = (listing: Pick<IndexedListing, 'title' | 'tags' | 'description'>) =>
  searchTokens(listing.title, listing.tags.join(' '), listing.description);

/** The listing's entries as indexListing writes them (the benchmark bulk-writes them too). */
export function searchEntriesOf(listing: IndexedListing, tokens = listingTokens(listing)): SearchTokenDoc[] {
  const open = isOpen(listing);
  return tokens.map((token) => ({
    _id: entryId(listing._id, token),
    token,
    listingId: listing._id,
    publisherWorkspaceId: listing.publisherWorkspaceId,
    open,
  }));
}

function chunks<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Inserts entries; one already there (a concurrent indexing of the same listing wrote it) is not an error. */
async function insertEntries(docs: SearchTokenDoc[]): Promise<void> {
  for (const batch of chunks(docs)) {
    try {
      await SearchTokenModel.insertMany(batch, { ordered: false, lean: true });
    } catch (err) {
      // Mongoose lists each failed write with the driver's error under `err`.
      const writeErrors = (err as { writeErrors?: Array<{ err?: unknown }> }).writeErrors;
      const onlyDuplicates = writeErrors
        ? [writeErrors].flat().every((e) => isDuplicateKey(e) || isDuplicateKey(e.err))
        : isDuplicateKey(err);
      if (!onlyDuplicates) throw err;
    }
  }
}

/**
 * Makes the listing's entries exactly the tokens of its title, tags and description. New entries are written before
 * stale ones are deleted: without transactions a search in between may find the listing by an old word too, but
 * never misses it by a current one.
 */
export async function indexListing(listing: IndexedListing): Promise<void> {
  const tokens = listingTokens(listing);
  const open = isOpen(listing);
  const stored = (await SearchTokenModel.find({ listingId: listing._id }, { token: 1, open: 1 }).lean()) as Array<
    Pick<SearchTokenDoc, 'token' | 'open'>
  >;
  const have = new Set(stored.map((e) => e.token));
  await insertEntries(
    searchEntriesOf(
      listing,
      tokens.filter((token) => !have.has(token)),
    ),
  );
  if (stored.some((e) => e.open !== open)) await setIndexedOpen(listing._id, open);
  const keep = new Set(tokens);
  for (const stale of chunks(stored.filter((e) => !keep.has(e.token)).map((e) => entryId(listing._id, e.token))))
    await SearchTokenModel.deleteMany({ listingId: listing._id, _id: { $in: stale } });
}

/**
 * Copies a listing's visibility onto its entries. Callers widen before the listing changes and narrow after it
 * (setUnpublished), so an entry may claim "open" for a moment while its listing is hidden, which the listing's own
 * filter catches, but never hides a listing that is visible.
 */
export async function setIndexedOpen(listingId: string, open: boolean): Promise<void> {
  await SearchTokenModel.updateMany({ listingId, open: !open }, { $set: { open } });
}

/** Removes a listing's entries (the listing is gone). */
export async function unindexListing(listingId: string): Promise<void> {
  await SearchTokenModel.deleteMany({ listingId });
}

/** Whether the listing has any entry (tests and the backfill's checks). */
export async function isIndexed(listingId: string): Promise<boolean> {
  return (await SearchTokenModel.exists({ listingId })) !== null;
}

/**
 * Ids of the listings holding every token that `workspaceId` may see (by the entries' copy of visibility). Starts
 * from the token with the fewest entries and keeps, token by token, only the ids every earlier token had, so the
 * work follows the rarest word rather than the most common one. Each query is an equality on `token`: an index read.
 */
export async function listingIdsWithTokens(workspaceId: string, tokens: string[]): Promise<Set<string>> {
  if (tokens.length === 0) return new Set();
  const seenBy = (token: string) => ({ token, $or: [{ publisherWorkspaceId: workspaceId }, { open: true }] });
  const counted = await Promise.all(
    tokens.map(async (token) => ({ token, count: await SearchTokenModel.countDocuments(seenBy(token)) })),
  );
  counted.sort((a, b) => a.count - b.count);
  if (counted[0].count === 0) return new Set();
  const idsOf = async (filter: mongoose.FilterQuery<SearchTokenDoc>) =>
    new Set(
      ((await SearchTokenModel.find(filter, { _id: 0, listingId: 1 }).lean()) as Array<{ listingId: string }>).map(
        (e) => e.listingId,
      ),
    );
  let ids = await idsOf(seenBy(counted[0].token));
  for (const { token } of counted.slice(1)) {
    if (ids.size === 0) break;
    ids = await idsOf({ ...seenBy(token), listingId: { $in: [...ids] } });
  }
  return ids;
}
