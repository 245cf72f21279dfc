// Reviews and reports of marketplace listings (docs/decisions/071). A review's `_id` is `<listing>:<user>`, so one per
// user per listing is the primary key's doing; after each review write the listing's rating is recounted from the
// reviews (db/marketplace-listings.ts recountRating). A report is kept forever; while it is open a claim whose `_id`
// is `<listing>:<user>` stands beside it, so a second open report by the same user collides on the claim's key.
import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { MarketplaceError } from '../contracts/marketplace';
import {
  REVIEW_LIMITS,
  type Rating,
  type RatingSummary,
  type ReportDecision,
  type ReportReason,
  type ReportStatus,
  type ReportView,
  type ReviewView,
} from '../contracts/marketplace-reviews';
import { isDuplicateKey, upsertById } from './duplicate-key';
import { recountRating } from './marketplace-listings';

interface ReviewDoc {
  _id: string;
  listingId: string;
  userId: string;
  authorName: string;
  rating: number;
  text: string;
  version: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface ReportDoc {
  _id: string;
  listingId: string;
  listingTitle: string;
  reporterId: string;
  reporterName: string;
  reason: ReportReason;
  text: string;
  status: ReportStatus;
  createdAt: Date;
  handledAt?: Date;
  handledById?: string;
  handledByName?: string;
  note?: string;
}

interface OpenReportClaim {
  _id: string;
  reportId: string;
}

const reviewSchema = new Schema<ReviewDoc>(
  {
    _id: String,
    listingId: { type: String, required: true },
    userId: { type: String, required: true, index: true },
    authorName: { type: String, required: true },
    rating: { type: Number, required: true },
    text: { type: String, default: '' },
    version: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'marketplace_reviews', versionKey: false },
);
// Led by the listing (the only equality FerretDB pushes down): the page's newest-first list and the star counts.
reviewSchema.index({ listingId: 1, createdAt: -1, _id: -1 });
reviewSchema.index({ listingId: 1, rating: 1 });

const reportSchema = new Schema<ReportDoc>(
  {
    _id: String,
    listingId: { type: String, required: true, index: true },
    listingTitle: { type: String, required: true },
    reporterId: { type: String, required: true },
    reporterName: { type: String, required: true },
    reason: { type: String, required: true },
    text: { type: String, default: '' },
    status: { type: String, required: true },
    createdAt: { type: Date, required: true },
    handledAt: Date,
    handledById: String,
    handledByName: String,
    note: String,
  },
  { collection: 'marketplace_reports', versionKey: false },
);
reportSchema.index({ status: 1, createdAt: -1 });

// Looked up first because dev mode loads this module twice (tsx for server.ts, Vite SSR for routes).
const ReviewModel =
  (mongoose.models.MarketplaceReview as mongoose.Model<ReviewDoc>) ??
  mongoose.model<ReviewDoc>('MarketplaceReview', reviewSchema);
const ReportModel =
  (mongoose.models.MarketplaceReport as mongoose.Model<ReportDoc>) ??
  mongoose.model<ReportDoc>('MarketplaceReport', reportSchema);
const ClaimModel =
  (mongoose.models.MarketplaceOpenReport as mongoose.Model<OpenReportClaim>) ??
  mongoose.model<OpenReportClaim>(
    'MarketplaceOpenReport',
    new Schema<OpenReportClaim>(
      { _id: String, reportId: { type: String, required: true } },
      { collection: 'marketplace_open_reports', versionKey: false },
    ),
  );

const reviewId = (listingId: string, userId: string) => `${listingId}:${userId}`;

function reviewView(doc: ReviewDoc): ReviewView {
  return {
    id: doc._id,
    listingId: doc.listingId,
    userId: doc.userId,
    authorName: doc.authorName,
    rating: doc.rating as Rating,
    text: doc.text,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

function reportView(doc: ReportDoc): ReportView {
  return {
    id: doc._id,
    listingId: doc.listingId,
    listingTitle: doc.listingTitle,
    reporterId: doc.reporterId,
    reporterName: doc.reporterName,
    reason: doc.reason,
    text: doc.text,
    status: doc.status,
    createdAt: doc.createdAt.toISOString(),
    ...(doc.handledAt ? { handledAt: doc.handledAt.toISOString() } : {}),
    ...(doc.handledByName ? { handledByName: doc.handledByName } : {}),
    ...(doc.note ? { note: doc.note } : {}),
  };
}

/** The rating's stars and text checked; each refusal names the field. */
function checkedReview(rating: number, text: string): { rating: Rating; text: string } {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5)
    throw new MarketplaceError('invalid', `Rating must be a whole number of stars from 1 to 5; got ${rating}.`);
  if (text.length > REVIEW_LIMITS.textChars)
    throw new MarketplaceError(
      'invalid',
      `Review text is ${text.length} characters; the limit is ${REVIEW_LIMITS.textChars}.`,
    );
  return { rating: rating as Rating, text: text.trim() };
}

/** Star counts and sum over the listing's reviews, read after the caller's write (see recountRating). */
async function tally(listingId: string): Promise<{ sum: number; count: number }> {
  const distribution = await ratingDistribution(listingId);
  return {
    sum: distribution.reduce((total, n, i) => total + n * (i + 1), 0),
    count: distribution.reduce((total, n) => total + n, 0),
  };
}

async function ratingDistribution(listingId: string): Promise<RatingSummary['distribution']> {
  const counts = await Promise.all([1, 2, 3, 4, 5].map((rating) => ReviewModel.countDocuments({ listingId, rating })));
  return counts as RatingSummary['distribution'];
}

export async function ratingSummary(listingId: string): Promise<RatingSummary> {
  const distribution = await ratingDistribution(listingId);
  const count = distribution.reduce((total, n) => total + n, 0);
  const sum = distribution.reduce((total, n, i) => total + n * (i + 1), 0);
  return { average: count > 0 ? sum / count : null, count, distribution };
}

/** Writes `userId`'s review of the listing (a second write edits it), then recounts the listing's rating. */
export async function saveReview(input: {
  listingId: string;
  userId: string;
  authorName: string;
  rating: number;
  text: string;
  version: string | null;
}): Promise<{ review: ReviewView; created: boolean }> {
  const { rating, text } = checkedReview(input.rating, input.text);
  const _id = reviewId(input.listingId, input.userId);
  const now = new Date();
  const result = await upsertById(() =>
    ReviewModel.updateOne(
      { _id },
      {
        $set: { authorName: input.authorName, rating, text, version: input.version, updatedAt: now },
        $setOnInsert: { listingId: input.listingId, userId: input.userId, createdAt: now },
      },
      { upsert: true },
    ),
  );
  await recountRating(input.listingId, () => tally(input.listingId));
  const doc = (await ReviewModel.findById(_id).lean()) as ReviewDoc;
  return { review: reviewView(doc), created: result.upsertedCount === 1 };
}

export async function getReview(listingId: string, userId: string): Promise<ReviewView | undefined> {
  const doc = (await ReviewModel.findById(reviewId(listingId, userId)).lean()) as ReviewDoc | null;
  return doc ? reviewView(doc) : undefined;
}

/** Removes `userId`'s review of the listing and recounts; false when they had none. */
export async function deleteReview(listingId: string, userId: string): Promise<boolean> {
  const { deletedCount } = await ReviewModel.deleteOne({ _id: reviewId(listingId, userId) });
  if (deletedCount === 0) return false;
  await recountRating(listingId, () => tally(listingId));
  return true;
}

/** Where a page ended: its last review's time and id (the list is ordered by both, newest first). */
export function encodeReviewCursor(review: ReviewView): string {
  return Buffer.from(`${review.createdAt}|${review.id}`).toString('base64url');
}

function decodeReviewCursor(text: string): { at: Date; id: string } {
  const [iso, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const id = rest.join('|');
  const at = new Date(iso ?? '');
  if (!id || Number.isNaN(at.getTime()))
    throw new MarketplaceError('invalid', 'Cursor is not one a reviews page handed out; start from the first page.');
  return { at, id };
}

/** One page of the listing's reviews, newest first, and the next page's cursor when there is one. */
export async function listReviews(
  listingId: string,
  page: { after?: string; limit?: number } = {},
): Promise<{ reviews: ReviewView[]; next?: string }> {
  const limit = page.limit ?? REVIEW_LIMITS.pageSize;
  const after = page.after ? decodeReviewCursor(page.after) : undefined;
  const filter: mongoose.FilterQuery<ReviewDoc> = after
    ? { listingId, $or: [{ createdAt: { $lt: after.at } }, { createdAt: after.at, _id: { $lt: after.id } }] }
    : { listingId };
  const docs = (await ReviewModel.find(filter)
    .sort({ createdAt: -1, _id: -1 })
    .limit(limit + 1)
    .lean()) as ReviewDoc[];
  const reviews = docs.slice(0, limit).map(reviewView);
  const last = reviews[reviews.length - 1];
  return docs.length > limit && last ? { reviews, next: encodeReviewCursor(last) } : { reviews };
}

/** Files a report; refused while the same user's earlier report of the listing is still open. */
export async function fileReport(input: {
  listingId: string;
  listingTitle: string;
  reporterId: string;
  reporterName: string;
  reason: ReportReason;
  text: string;
}): Promise<ReportView> {
  const id = `rpt_${randomUUID()}`;
  try {
    await ClaimModel.create({ _id: reviewId(input.listingId, input.reporterId), reportId: id });
  } catch (err) {
    if (isDuplicateKey(err))
      throw new MarketplaceError(
        'conflict',
        'You already reported this listing, and a moderator has not handled that report yet.',
      );
    throw err;
  }
  const doc: ReportDoc = { _id: id, ...input, text: input.text.trim(), status: 'open', createdAt: new Date() };
  try {
    await ReportModel.create(doc);
  } catch (err) {
    // No transactions (storage rules): a claim without its report would block the user for good.
    await ClaimModel.deleteOne({ _id: reviewId(input.listingId, input.reporterId), reportId: id });
    throw err;
  }
  return reportView(doc);
}

/** The user's open report of the listing, if any. */
export async function openReportOf(listingId: string, userId: string): Promise<ReportView | undefined> {
  const claim = (await ClaimModel.findById(reviewId(listingId, userId)).lean()) as OpenReportClaim | null;
  if (!claim) return undefined;
  const doc = (await ReportModel.findById(claim.reportId).lean()) as ReportDoc | null;
  return doc ? reportView(doc) : undefined;
}

/** Open reports, oldest first (the queue moderators work through). */
export async function openReports(limit = 200): Promise<ReportView[]> {
  const docs = (await ReportModel.find({ status: 'open' }).sort({ createdAt: 1 }).limit(limit).lean()) as ReportDoc[];
  return docs.map(reportView);
}

/** Closes an open report as resolved or dismissed, with the moderator's note; the reporter may report again. */
export async function decideReport(
  reportId: string,
  decision: ReportDecision,
  by: { id: string; name: string },
  note: string,
): Promise<ReportView> {
  const status: ReportStatus = decision === 'resolve' ? 'resolved' : 'dismissed';
  const doc = (await ReportModel.findOneAndUpdate(
    { _id: reportId, status: 'open' },
    {
      $set: {
        status,
        handledAt: new Date(),
        handledById: by.id,
        handledByName: by.name,
        ...(note.trim() ? { note: note.trim() } : {}),
      },
    },
    { new: true },
  ).lean()) as ReportDoc | null;
  if (!doc) {
    const existing = (await ReportModel.findById(reportId).lean()) as ReportDoc | null;
    if (!existing) throw new MarketplaceError('not-found', `Report ${reportId} does not exist.`);
    throw new MarketplaceError('conflict', `Report ${reportId} is already ${existing.status}.`);
  }
  await ClaimModel.deleteOne({ _id: reviewId(doc.listingId, doc.reporterId), reportId });
  return reportView(doc);
}
