// Reviews, reports and moderation of marketplace listings (issue 13, docs/decisions/071): the shapes the store, the
// API and the listing page's reviews panel share.
import type { ListingView } from './marketplace';

export const REVIEW_LIMITS = {
  /** Markdown text of one review. */
  textChars: 5000,
  /** Reviews per page of a listing's list. */
  pageSize: 20,
} as const;

export const RATINGS = [1, 2, 3, 4, 5] as const;
export type Rating = (typeof RATINGS)[number];

export interface ReviewView {
  /** One review per user per listing: the id is derived from both. */
  id: string;
  listingId: string;
  userId: string;
  authorName: string;
  rating: Rating;
  /** Markdown; pages render it with app/lib/markdown.ts (raw HTML never passes). */
  text: string;
  /** The listing version the author had when they last wrote it; null when the listing had none. */
  version: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A listing's ratings: the mean, how many, and how many of each star (index 0 = one star). */
export interface RatingSummary {
  average: number | null;
  count: number;
  distribution: [number, number, number, number, number];
}

export const REPORT_REASONS = ['malicious', 'broken', 'spam', 'inappropriate', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export const REPORT_REASON_LABELS: Record<ReportReason, string> = {
  malicious: 'Malicious: steals data or does harm',
  broken: 'Broken: does not install or run',
  spam: 'Spam or advertising',
  inappropriate: 'Inappropriate content',
  other: 'Something else',
};

export const REPORT_LIMITS = { textChars: 2000 } as const;

export type ReportStatus = 'open' | 'resolved' | 'dismissed';

export interface ReportView {
  id: string;
  listingId: string;
  /** The listing's title when it was reported (the listing may change or go). */
  listingTitle: string;
  reporterId: string;
  reporterName: string;
  reason: ReportReason;
  text: string;
  status: ReportStatus;
  createdAt: string;
  handledAt?: string;
  handledByName?: string;
  /** The moderator's note when resolving or dismissing. */
  note?: string;
}

/** One page of a listing's reviews, newest first, with what the viewer may do. */
export interface ReviewsPage {
  summary: RatingSummary;
  reviews: ReviewView[];
  /** The cursor of the next page, when there is one. */
  next?: string;
  viewer: {
    review: ReviewView | null;
    /** Why the viewer may not review (a listing of their own workspace), when they may not. */
    cannotReview?: string;
    openReport: ReportView | null;
    /** Whether the viewer moderates this instance's marketplace (docs/decisions/071). */
    moderator: boolean;
  };
}

export const MODERATION_ACTIONS = ['unpublish', 'republish', 'feature', 'unfeature'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

export const REPORT_DECISIONS = ['resolve', 'dismiss'] as const;
export type ReportDecision = (typeof REPORT_DECISIONS)[number];

/** What the moderation page shows: open reports with their listing, and the listings moderators have flagged. */
export interface ModerationQueue {
  reports: Array<ReportView & { listing: ListingView | null }>;
  featured: ListingView[];
  unpublished: ListingView[];
}
