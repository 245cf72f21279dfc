// Marketplace listings and their signed versions (docs/decisions/061). A listing holds the card's fields, and its
// search tokens are entries of the token index (db/marketplace-search-index.ts, docs/decisions/073: FerretDB has no
// text index, so a query word is an indexed equality there); each version holds the stripped graph and manifest as
// JSON text (user data: storage rules), the hash of the canonical payload and the publisher key's ed25519 signature.
import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import {
  LISTING_LIMITS,
  MarketplaceError,
  type ListingCore,
  type ListingGraph,
  type ListingManifest,
  type ListingPermission,
  type ListingSort,
  type ListingVersionView,
  type ListingView,
  type ListingVisibility,
} from '../contracts/marketplace';
import { canonicalPayload, payloadHash } from '../ir/marketplace/payload';
import { queryTokens } from '../ir/marketplace/search-tokens';
import { compareSemver, parseSemver } from '../ir/marketplace/semver';
import { isDuplicateKey } from './duplicate-key';
import { checkVersionSignature, type VersionBundleRecord } from './listing-signatures';
import {
  indexListing,
  isOpen,
  listingIdsWithTokens,
  setIndexedOpen,
  unindexListing,
  type IndexedListing,
} from './marketplace-search-index';
import { signPayload } from './publisher-keys';

export interface ListingDoc extends Omit<ListingCore, 'id'> {
  _id: string;
  /** Set on a listing imported from a bundle: the listing's id where it was published (docs/decisions/070). */
  originListingId?: string;
  installs: number;
  ratingSum: number;
  ratingCount: number;
  /** ratingSum / ratingCount (0 without ratings), kept so "sort by rating" is an index sort. */
  rating: number;
  /** Bumped by each rating recount, so a recount from stale reviews cannot overwrite a newer one (decision 071). */
  ratingRev?: number;
  featured: boolean;
  unpublished: boolean;
  /**
   * True once the token index holds the listing's current text (docs/decisions/073). Absent on listings from before
   * the index, and false while their text is being indexed: the web's start-up backfill finds both.
   */
  searchIndexed?: boolean;
  latestVersion: string | null;
  permissions: ListingPermission[];
  nodeTypes: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface VersionDoc {
  _id: string; // `<listing id>@<version>`: a duplicate version is a duplicate key
  listingId: string;
  version: string;
  changelog: string;
  manifestJson: string;
  graphJson: string;
  payloadHash: string;
  signature: string;
  keyId: string;
  signerWorkspaceId: string;
  createdAt: Date;
  /** Set on a version imported from a bundle: what verifying and re-exporting it needs (docs/decisions/070). */
  bundle?: VersionBundleRecord;
  /** The version's test fixtures as JSON text (user data), attached after publishing (docs/decisions/072). */
  testsJson?: string;
  /** The version key's signature over the fixtures (ir/marketplace/tests-signature.ts); absent on older fixtures. */
  testsSignature?: string;
}

// Looked up first because dev mode loads this module twice (tsx for server.ts, Vite SSR for routes).
export const ListingModel =
  (mongoose.models.MarketplaceListing as mongoose.Model<ListingDoc>) ??
  mongoose.model<ListingDoc>(
    'MarketplaceListing',
    new Schema<ListingDoc>(
      {
        _id: String,
        publisherWorkspaceId: { type: String, required: true, index: true },
        workflowId: { type: String, required: true },
        originListingId: String,
        title: { type: String, required: true },
        description: { type: String, default: '' },
        category: { type: String, required: true, index: true },
        tags: { type: [String], default: [] },
        icon: { type: String, default: '' },
        visibility: { type: String, required: true, index: true },
        installs: { type: Number, default: 0, index: true },
        ratingSum: { type: Number, default: 0 },
        ratingCount: { type: Number, default: 0 },
        rating: { type: Number, default: 0, index: true },
        ratingRev: { type: Number, default: 0 },
        featured: { type: Boolean, default: false, index: true },
        unpublished: { type: Boolean, default: false, index: true },
        searchIndexed: { type: Boolean, default: false },
        latestVersion: { type: String, default: null },
        permissions: { type: [String], default: [], index: true },
        nodeTypes: { type: [String], default: [], index: true },
        createdAt: { type: Date, required: true, index: true },
        updatedAt: { type: Date, required: true },
      },
      { collection: 'marketplace_listings', versionKey: false },
    ),
  );

export const VersionModel =
  (mongoose.models.MarketplaceListingVersion as mongoose.Model<VersionDoc>) ??
  mongoose.model<VersionDoc>(
    'MarketplaceListingVersion',
    new Schema<VersionDoc>(
      {
        _id: String,
        listingId: { type: String, required: true, index: true },
        version: { type: String, required: true },
        changelog: { type: String, default: '' },
        manifestJson: { type: String, required: true },
        graphJson: { type: String, required: true },
        payloadHash: { type: String, required: true },
        signature: { type: String, required: true },
        keyId: { type: String, required: true },
        signerWorkspaceId: { type: String, required: true },
        createdAt: { type: Date, required: true },
        bundle: Schema.Types.Mixed,
        testsJson: String,
        testsSignature: String,
      },
      { collection: 'marketplace_listing_versions', versionKey: false },
    ),
  );

export interface ListingMeta {
  title: string;
  description: string;
  category: string;
  tags: string[];
  icon: string;
  visibility: ListingVisibility;
}

export interface VersionContent {
  version: string;
  changelog: string;
  manifest: ListingManifest;
  graph: ListingGraph;
}

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;

/** The metadata trimmed and checked; each refusal names the field and its limit. */
export function checkedMeta(meta: ListingMeta): ListingMeta {
  const title = meta.title.trim();
  if (title === '' || title.length > LISTING_LIMITS.title)
    throw new MarketplaceError('invalid', `Title must be 1 to ${LISTING_LIMITS.title} characters.`);
  const bytes = Buffer.byteLength(meta.description, 'utf8');
  if (bytes > LISTING_LIMITS.descriptionBytes)
    throw new MarketplaceError(
      'invalid',
      `Description is ${sizeText(bytes)}; the limit is ${sizeText(LISTING_LIMITS.descriptionBytes)}. ` +
        'Shorten it, or link to longer documentation.',
    );
  const category = meta.category.trim();
  if (category === '' || category.length > LISTING_LIMITS.category)
    throw new MarketplaceError('invalid', `Category must be 1 to ${LISTING_LIMITS.category} characters.`);
  const tags = [...new Set(meta.tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
  if (tags.length > LISTING_LIMITS.tags)
    throw new MarketplaceError(
      'invalid',
      `A listing has at most ${LISTING_LIMITS.tags} tags; this one has ${tags.length}.`,
    );
  const long = tags.find((t) => t.length > LISTING_LIMITS.tagChars);
  if (long)
    throw new MarketplaceError(
      'invalid',
      `Tag "${long.slice(0, 40)}…" is longer than ${LISTING_LIMITS.tagChars} characters.`,
    );
  if (meta.icon.length > LISTING_LIMITS.icon)
    throw new MarketplaceError('invalid', `Icon must be at most ${LISTING_LIMITS.icon} characters.`);
  return { ...meta, title, category, tags };
}

export function coreOf(doc: ListingDoc): ListingCore {
  return {
    id: doc._id,
    publisherWorkspaceId: doc.publisherWorkspaceId,
    workflowId: doc.workflowId,
    title: doc.title,
    description: doc.description,
    category: doc.category,
    tags: [...doc.tags],
    icon: doc.icon,
    visibility: doc.visibility,
  };
}

function toView(doc: ListingDoc): ListingView {
  return {
    ...coreOf(doc),
    installs: doc.installs,
    rating: doc.ratingCount > 0 ? doc.ratingSum / doc.ratingCount : null,
    ratingCount: doc.ratingCount,
    featured: doc.featured,
    unpublished: doc.unpublished,
    latestVersion: doc.latestVersion,
    permissions: [...doc.permissions],
    nodeTypes: [...doc.nodeTypes],
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export function permissionsOf(manifest: ListingManifest): ListingPermission[] {
  const p = manifest.permissions;
  return [
    ...(p.browser ? (['browser'] as const) : []),
    ...(p.gpu ? (['gpu'] as const) : []),
    ...(p.email ? (['email'] as const) : []),
    ...(p.domains.length > 0 ? (['network'] as const) : []),
  ];
}

function checkedChangelog(changelog: string): string {
  if (changelog.length > LISTING_LIMITS.changelogChars)
    throw new MarketplaceError('invalid', `Changelog must be at most ${LISTING_LIMITS.changelogChars} characters.`);
  return changelog;
}

/** Signs and stores one version of `listing`; refuses a duplicate or a version not above the latest. */
async function storeVersion(listing: ListingDoc, content: VersionContent): Promise<ListingVersionView> {
  parseSemver(content.version);
  const changelog = checkedChangelog(content.changelog);
  if (listing.latestVersion && compareSemver(content.version, listing.latestVersion) === 0)
    throw new MarketplaceError('conflict', `Version ${content.version} of "${listing.title}" already exists.`);
  if (listing.latestVersion && compareSemver(content.version, listing.latestVersion) < 0)
    throw new MarketplaceError(
      'conflict',
      `Version ${content.version} of "${listing.title}" is not greater than its latest, ${listing.latestVersion}.`,
    );
  const payload = canonicalPayload({ listing: coreOf(listing), ...content, changelog });
  const { keyId, signature } = await signPayload(listing.publisherWorkspaceId, Buffer.from(payload, 'utf8'));
  const doc: VersionDoc = {
    _id: `${listing._id}@${content.version}`,
    listingId: listing._id,
    version: content.version,
    changelog,
    manifestJson: JSON.stringify(content.manifest),
    graphJson: JSON.stringify(content.graph),
    payloadHash: payloadHash(payload),
    signature,
    keyId,
    signerWorkspaceId: listing.publisherWorkspaceId,
    createdAt: new Date(),
  };
  try {
    await VersionModel.create(doc);
  } catch (err) {
    if (isDuplicateKey(err))
      throw new MarketplaceError('conflict', `Version ${content.version} of "${listing.title}" already exists.`);
    throw err;
  }
  await ListingModel.updateOne(
    { _id: listing._id },
    {
      $set: {
        latestVersion: content.version,
        permissions: permissionsOf(content.manifest),
        nodeTypes: content.manifest.nodes.map((n) => n.type),
        updatedAt: doc.createdAt,
      },
    },
  );
  return versionView(listing, doc);
}

/** A listing document before its first version: no counters, no version-derived fields yet. */
export function newListingDoc(fields: {
  _id: string;
  publisherWorkspaceId: string;
  workflowId: string;
  meta: ListingMeta;
  originListingId?: string;
}): ListingDoc {
  const { meta, ...ids } = fields;
  const now = new Date();
  return {
    ...ids,
    ...meta,
    installs: 0,
    ratingSum: 0,
    ratingCount: 0,
    rating: 0,
    featured: false,
    unpublished: false,
    searchIndexed: false,
    latestVersion: null,
    permissions: [],
    nodeTypes: [],
    createdAt: now,
    updatedAt: now,
  };
}

const INDEXED_FIELDS = {
  publisherWorkspaceId: 1,
  title: 1,
  tags: 1,
  description: 1,
  visibility: 1,
  unpublished: 1,
} as const;

/**
 * Brings the token index up to the listing's stored text and marks it indexed; drops the array of search tokens
 * listings held before docs/decisions/073. A listing that no longer exists loses its entries.
 */
export async function reindexListing(id: string): Promise<void> {
  const doc = (await ListingModel.findById(id, INDEXED_FIELDS).lean()) as IndexedListing | null;
  if (!doc) return unindexListing(id);
  await indexListing(doc);
  // Through the driver: `tokens` is no longer in the schema, and mongoose would drop an $unset of it.
  await ListingModel.collection.updateOne({ _id: id } as never, {
    $set: { searchIndexed: true },
    $unset: { tokens: '' },
  });
}

/** Stores a new listing document, then its search entries (a duplicate `_id` throws before either is written). */
export async function insertListing(doc: ListingDoc): Promise<void> {
  await ListingModel.create({ ...doc, searchIndexed: false });
  await reindexListing(doc._id);
}

/** Deletes a listing document and its search entries (a listing whose first version failed). */
export async function removeListing(id: string): Promise<void> {
  await ListingModel.deleteOne({ _id: id });
  await unindexListing(id);
}

/**
 * Indexes every listing whose text is not in the token index: listings from before it (decision 073), and any whose
 * indexing a crash cut short. Run at web start; when every listing is indexed it is one query that finds nothing.
 */
export async function backfillSearchIndex(): Promise<number> {
  const pending = (await ListingModel.find({ searchIndexed: { $ne: true } }, { _id: 1 }).lean()) as Array<{
    _id: string;
  }>;
  for (const { _id } of pending) await reindexListing(_id);
  return pending.length;
}

/** A new listing of a workflow of `publisherWorkspaceId`, with its first version signed by the workspace's key. */
export async function createListing(input: {
  publisherWorkspaceId: string;
  workflowId: string;
  meta: ListingMeta;
  content: VersionContent;
  /** A fixed id (official listings: two web processes seeding at once make one listing; the loser gets E11000). */
  id?: string;
}): Promise<{ listing: ListingView; version: ListingVersionView }> {
  const meta = checkedMeta(input.meta);
  parseSemver(input.content.version);
  checkedChangelog(input.content.changelog);
  const doc = newListingDoc({
    _id: input.id ?? `lst_${randomUUID()}`,
    publisherWorkspaceId: input.publisherWorkspaceId,
    workflowId: input.workflowId,
    meta,
  });
  await ListingModel.create(doc);
  try {
    await reindexListing(doc._id);
    const version = await storeVersion(doc, input.content);
    return { listing: (await getListing(doc._id))!, version };
  } catch (err) {
    // No transactions (storage rules): a listing whose first version failed must not stay behind empty.
    await removeListing(doc._id);
    throw err;
  }
}

/** A new version of a listing `publisherWorkspaceId` publishes. */
export async function addVersion(
  publisherWorkspaceId: string,
  listingId: string,
  content: VersionContent,
): Promise<ListingVersionView> {
  const doc = (await ListingModel.findOne({ _id: listingId, publisherWorkspaceId }).lean()) as ListingDoc | null;
  if (!doc) throw new MarketplaceError('not-found', `Listing ${listingId} does not exist in this workspace.`);
  if (doc.originListingId) throw importedRefusal(doc.title);
  return storeVersion(doc, content);
}

const importedRefusal = (title: string) =>
  new MarketplaceError(
    'conflict',
    `"${title}" was imported from a bundle: import its new versions as bundles too, they carry its signature.`,
  );

/** Refuses publishing a version of a listing imported from a bundle: only its publisher signs its versions (070). */
export async function refuseIfImported(listingId: string): Promise<void> {
  const doc = (await ListingModel.findById(listingId, { originListingId: 1, title: 1 }).lean()) as Pick<
    ListingDoc,
    'originListingId' | 'title'
  > | null;
  if (doc?.originListingId) throw importedRefusal(doc.title);
}

export async function getListing(id: string): Promise<ListingView | undefined> {
  const doc = (await ListingModel.findById(id).lean()) as ListingDoc | null;
  return doc ? toView(doc) : undefined;
}

/** Whether `workspaceId` may see `listing` (see `visibleTo`). */
export function canSee(
  listing: Pick<ListingView, 'publisherWorkspaceId' | 'visibility' | 'unpublished'>,
  workspaceId: string,
): boolean {
  if (listing.publisherWorkspaceId === workspaceId) return true;
  return listing.visibility !== 'workspace' && !listing.unpublished;
}

/** What a workspace may see: its own listings, and others' instance or public listings not unpublished. */
function visibleTo(workspaceId: string): mongoose.FilterQuery<ListingDoc> {
  return {
    $or: [{ publisherWorkspaceId: workspaceId }, { visibility: { $in: ['instance', 'public'] }, unpublished: false }],
  };
}

export interface ListingQuery {
  q?: string;
  category?: string;
  permission?: ListingPermission;
  nodeType?: string;
  sort?: ListingSort;
  limit?: number;
}

const SORTS: Record<ListingSort, Record<string, 1 | -1>> = {
  installs: { installs: -1, createdAt: -1 },
  rating: { rating: -1, ratingCount: -1, createdAt: -1 },
  newest: { createdAt: -1 },
};

/**
 * Databases from before docs/decisions/068 have an index on `tokens`, which refuses a listing with a long
 * description: the web drops it once at start (a missing index is fine).
 */
export async function dropLegacyTokenIndex(): Promise<void> {
  await ListingModel.collection.dropIndex('tokens_1').catch(() => undefined);
}

/**
 * Whether the listings matching the words are read one by one by `_id` (an index read each) rather than by one pass
 * over the visible listings in sort order that keeps the matching ones. Past about a hundred reads by id the pass is
 * as cheap (bench/marketplace-search.ts); counting the listings to decide better costs half a pass on FerretDB, and
 * `_id: { $in }` is no help: FerretDB does not push it down to an index.
 */
export const READ_BY_ID_MAX = 100;
const READ_CONCURRENCY = 16;

/** `a` before `b` in the order of `sort` (the in-memory twin of SORTS, for listings read one by one). */
function sortOrder(sort: Record<string, 1 | -1>) {
  const keys = Object.entries(sort);
  return (a: ListingDoc, b: ListingDoc): number => {
    for (const [key, dir] of keys) {
      const x = Number(a[key as keyof ListingDoc] ?? 0);
      const y = Number(b[key as keyof ListingDoc] ?? 0);
      if (x !== y) return x < y ? -dir : dir;
    }
    return 0;
  };
}

async function readEach(ids: string[], filter: mongoose.FilterQuery<ListingDoc>): Promise<ListingDoc[]> {
  const docs: ListingDoc[] = [];
  for (let i = 0; i < ids.length; i += READ_CONCURRENCY) {
    const read = await Promise.all(
      ids.slice(i, i + READ_CONCURRENCY).map((_id) => ListingModel.findOne({ _id, ...filter }).lean()),
    );
    for (const doc of read) if (doc) docs.push(doc as ListingDoc);
  }
  return docs;
}

/** The first `limit` listings of the sorted pass whose id is in `ids` (the cursor stops there). */
async function readInOrder(
  ids: Set<string>,
  filter: mongoose.FilterQuery<ListingDoc>,
  sort: Record<string, 1 | -1>,
  limit: number,
): Promise<ListingDoc[]> {
  const docs: ListingDoc[] = [];
  const cursor = ListingModel.find(filter).sort(sort).lean().cursor();
  try {
    for await (const doc of cursor) {
      if (ids.has((doc as ListingDoc)._id)) docs.push(doc as ListingDoc);
      if (docs.length >= limit) break;
    }
  } finally {
    await cursor.close();
  }
  return docs;
}

/**
 * Listings `workspaceId` may see that match every query word and every filter. Words go through the token index
 * (docs/decisions/073): the ids holding every word first, then only those listings are read, under the same
 * visibility and filters as a search without words.
 */
export async function searchListings(workspaceId: string, query: ListingQuery = {}): Promise<ListingView[]> {
  const and: Array<mongoose.FilterQuery<ListingDoc>> = [visibleTo(workspaceId)];
  if (query.category) and.push({ category: query.category });
  if (query.permission) and.push({ permissions: query.permission });
  if (query.nodeType) and.push({ nodeTypes: query.nodeType });
  const sort = SORTS[query.sort ?? 'newest'];
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const words = queryTokens(query.q ?? '');
  if (words.length > 0) {
    const ids = await listingIdsWithTokens(workspaceId, words);
    if (ids.size === 0) return [];
    const docs =
      ids.size <= READ_BY_ID_MAX
        ? (await readEach([...ids], { $and: and })).sort(sortOrder(sort)).slice(0, limit)
        : await readInOrder(ids, { $and: and }, sort, limit);
    return docs.map(toView);
  }
  const docs = await ListingModel.find({ $and: and }).sort(sort).limit(limit).lean();
  return (docs as ListingDoc[]).map(toView);
}

/**
 * Marks a listing unpublished or published again (the publisher's, or an admin's moderation). The token index's copy
 * of visibility widens before the listing and narrows after it, so a search never misses a visible listing.
 */
export async function setUnpublished(id: string, unpublished: boolean): Promise<void> {
  const doc = (await ListingModel.findById(id, { visibility: 1 }).lean()) as Pick<ListingDoc, 'visibility'> | null;
  if (!doc) return;
  const open = isOpen({ visibility: doc.visibility, unpublished });
  if (open) await setIndexedOpen(id, true);
  await ListingModel.updateOne({ _id: id }, { $set: { unpublished, updatedAt: new Date() } });
  if (!open) await setIndexedOpen(id, false);
}

/** Features a listing in the catalog or stops featuring it (moderation, docs/decisions/071). */
export async function setFeatured(id: string, featured: boolean): Promise<void> {
  await ListingModel.updateOne({ _id: id }, { $set: { featured, updatedAt: new Date() } });
}

/** Every listing moderators featured, or every unpublished one, newest first (the moderation page). */
export async function flaggedListings(flag: 'featured' | 'unpublished', limit = 200): Promise<ListingView[]> {
  const docs = await ListingModel.find({ [flag]: true })
    .sort({ createdAt: -1 })
    .limit(limit)
    .lean();
  return (docs as ListingDoc[]).map(toView);
}

/**
 * Sets the listing's rating from `tally` (a count over its reviews, made after the caller's own review write).
 * Without transactions two writers may tally at once; the set applies only if no other recount landed since this
 * one read `ratingRev`, else it tallies again, so the last recount to land always counted every review before it.
 */
export async function recountRating(
  listingId: string,
  tally: () => Promise<{ sum: number; count: number }>,
): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const current = (await ListingModel.findById(listingId, { ratingRev: 1 }).lean()) as Pick<
      ListingDoc,
      'ratingRev'
    > | null;
    if (!current) return;
    const rev = current.ratingRev ?? 0;
    const { sum, count } = await tally();
    const revFilter = rev === 0 ? { $in: [0, null] } : rev;
    const set = await ListingModel.updateOne(
      { _id: listingId, ratingRev: revFilter },
      { $set: { ratingSum: sum, ratingCount: count, rating: count > 0 ? sum / count : 0, ratingRev: rev + 1 } },
    );
    if (set.matchedCount === 1) return;
  }
  throw new MarketplaceError('conflict', `The rating of listing ${listingId} kept changing; try again.`);
}

/** One more install of the listing (docs/decisions/069): every install counts, a workspace's re-install too. */
export async function countInstall(id: string): Promise<void> {
  await ListingModel.updateOne({ _id: id }, { $inc: { installs: 1 } });
}

async function versionView(listing: ListingDoc, doc: VersionDoc): Promise<ListingVersionView> {
  const manifest = JSON.parse(doc.manifestJson) as ListingManifest;
  const graph = JSON.parse(doc.graphJson) as ListingGraph;
  // One check for the page, installs and bundle exports: publisher keys, imported keys, revocation (decision 070).
  const check = await checkVersionSignature(listing, coreOf(listing), { ...doc, manifest, graph });
  return {
    version: doc.version,
    changelog: doc.changelog,
    manifest,
    graph,
    payloadHash: doc.payloadHash,
    keyId: doc.keyId,
    signerWorkspaceId: doc.signerWorkspaceId,
    verified: check.verified,
    keyStatus: check.keyStatus,
    signerName: check.signerName,
    imported: check.imported,
    problem: check.problem,
    createdAt: doc.createdAt.toISOString(),
  };
}

/** A listing's versions, newest first, each with whether its signature verifies now. */
export async function listingVersions(listingId: string): Promise<ListingVersionView[]> {
  const listing = (await ListingModel.findById(listingId).lean()) as ListingDoc | null;
  if (!listing) return [];
  const docs = (await VersionModel.find({ listingId }).lean()) as VersionDoc[];
  docs.sort((a, b) => compareSemver(b.version, a.version));
  return Promise.all(docs.map((d) => versionView(listing, d)));
}

/** The listings of one workflow of `publisherWorkspaceId` (the editor's "Publish to marketplace"), newest first. */
export async function listingsOfWorkflow(publisherWorkspaceId: string, workflowId: string): Promise<ListingView[]> {
  const docs = await ListingModel.find({ publisherWorkspaceId, workflowId }).sort({ createdAt: -1 }).lean();
  return (docs as ListingDoc[]).map(toView);
}

/** The graph of each listing's latest version, by listing id (cards draw it): reads by primary key only. */
export async function latestGraphs(listings: ListingView[]): Promise<Map<string, ListingGraph>> {
  const ids = listings.filter((l) => l.latestVersion).map((l) => `${l.id}@${l.latestVersion}`);
  if (ids.length === 0) return new Map();
  const docs = (await VersionModel.find({ _id: { $in: ids } }, { listingId: 1, graphJson: 1 }).lean()) as Array<
    Pick<VersionDoc, 'listingId' | 'graphJson'>
  >;
  return new Map(docs.map((d) => [d.listingId, JSON.parse(d.graphJson) as ListingGraph]));
}

/** A version's test fixtures as stored (JSON text), or undefined when it has none (docs/decisions/072). */
export async function versionTestsJson(listingId: string, version: string): Promise<string | undefined> {
  const doc = (await VersionModel.findOne({ _id: `${listingId}@${version}` }, { testsJson: 1 }).lean()) as Pick<
    VersionDoc,
    'testsJson'
  > | null;
  return doc?.testsJson;
}

/** Replaces a version's test fixtures (already checked); false when the version does not exist. */
export async function setVersionTestsJson(listingId: string, version: string, testsJson: string): Promise<boolean> {
  const res = await VersionModel.updateOne({ _id: `${listingId}@${version}` }, { $set: { testsJson } });
  return res.matchedCount === 1;
}
