// The server side of marketplace reviews, reports and moderation (docs/decisions/071). Reviews and reports need only
// sight of the listing (they are the caller's own words, not changes to a workspace); a member of the publishing
// workspace may not review its listing; moderation is for instance admins (app/lib/instance-admins.server.ts) and is
// audit-logged in the publisher's workspace and at instance level.
import { z } from 'zod';
import { MarketplaceError, type ListingView } from '../../contracts/marketplace';
import {
  MODERATION_ACTIONS,
  REPORT_DECISIONS,
  REPORT_LIMITS,
  REPORT_REASONS,
  REVIEW_LIMITS,
  type ModerationAction,
  type ModerationQueue,
  type ReviewsPage,
} from '../../contracts/marketplace-reviews';
import { recordAudit, type AuditAction } from '../../db/audit';
import {
  canSee,
  flaggedListings,
  getListing,
  listingVersions,
  setFeatured,
  setUnpublished,
} from '../../db/marketplace-listings';
import {
  decideReport,
  deleteReview,
  fileReport,
  getReview,
  listReviews,
  openReportOf,
  openReports,
  ratingSummary,
  saveReview,
} from '../../db/marketplace-reviews';
import { membershipOf } from '../../db/workspaces';
import type { Caller } from './caller.server';
import { apiError, json } from './http.server';
import { isInstanceAdmin } from './instance-admins.server';
import { marketplaceRefusal } from './marketplace.server';

export interface Acting {
  caller: Caller;
  /** The client's address, for audit entries. */
  ip: string;
}

export const reviewBody = z
  .object({
    rating: z.number().int().min(1).max(5),
    text: z.string().max(REVIEW_LIMITS.textChars, `at most ${REVIEW_LIMITS.textChars} characters`).default(''),
    /** The version the review is about; the latest when absent. */
    version: z.string().max(64).optional(),
  })
  .strict();

export const reportBody = z
  .object({
    reason: z.enum(REPORT_REASONS),
    text: z.string().max(REPORT_LIMITS.textChars, `at most ${REPORT_LIMITS.textChars} characters`).default(''),
  })
  .strict();

export const moderationBody = z.object({ action: z.enum(MODERATION_ACTIONS) }).strict();

export const decisionBody = z
  .object({ decision: z.enum(REPORT_DECISIONS), note: z.string().max(REPORT_LIMITS.textChars).default('') })
  .strict();

const MODERATORS_ONLY =
  'Not allowed: marketplace moderation is for instance admins (the instance owner, or a user whose email ' +
  'BATON_INSTANCE_ADMINS lists), signed in or with a token of the admin scope.';

/** Whether the caller moderates the marketplace: an instance admin, through a session or an admin-scoped token. */
export function moderates(caller: Caller): boolean {
  return isInstanceAdmin(caller.user) && (caller.tokenScopes === undefined || caller.tokenScopes.includes('admin'));
}

/** Throws a 403 unless the caller moderates the marketplace. */
export function requireModerator(caller: Caller): void {
  if (!moderates(caller)) throw apiError(403, MODERATORS_ONLY);
}

/** The listing when the caller may see it (moderators see every listing); else a refusal like a missing one. */
async function visibleListing(caller: Caller, listingId: string): Promise<ListingView> {
  const listing = await getListing(listingId);
  if (!listing || !(canSee(listing, caller.scope.workspaceId) || moderates(caller)))
    throw new MarketplaceError('not-found', `Listing ${listingId} does not exist.`);
  return listing;
}

/** Why the caller may not review the listing: they belong to the workspace that publishes it. */
async function selfReviewRefusal(caller: Caller, listing: ListingView): Promise<string | undefined> {
  if (!(await membershipOf(listing.publisherWorkspaceId, caller.user.id))) return undefined;
  return `You are a member of the workspace that publishes "${listing.title}": publishers may not review their own listings.`;
}

async function refusing(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (err) {
    return marketplaceRefusal(err);
  }
}

export function readReviews(caller: Caller, listingId: string, url: URL): Promise<Response> {
  return refusing(async () => {
    const listing = await visibleListing(caller, listingId);
    const after = url.searchParams.get('after') || undefined;
    const [summary, page, review, openReport, cannotReview] = await Promise.all([
      ratingSummary(listing.id),
      listReviews(listing.id, { after }),
      getReview(listing.id, caller.user.id),
      openReportOf(listing.id, caller.user.id),
      selfReviewRefusal(caller, listing),
    ]);
    const body: ReviewsPage = {
      summary,
      ...page,
      viewer: {
        review: review ?? null,
        ...(cannotReview ? { cannotReview } : {}),
        openReport: openReport ?? null,
        moderator: moderates(caller),
      },
    };
    return json(body);
  });
}

/** Writes the caller's review (201 the first time, 200 for an edit). */
export function writeReview(caller: Caller, listingId: string, body: z.output<typeof reviewBody>): Promise<Response> {
  return refusing(async () => {
    const listing = await visibleListing(caller, listingId);
    const refusal = await selfReviewRefusal(caller, listing);
    if (refusal) throw new MarketplaceError('forbidden', refusal);
    let version = listing.latestVersion;
    if (body.version !== undefined) {
      const known = (await listingVersions(listing.id)).some((v) => v.version === body.version);
      if (!known) throw new MarketplaceError('invalid', `"${listing.title}" has no version ${body.version} to review.`);
      version = body.version;
    }
    const { review, created } = await saveReview({
      listingId: listing.id,
      userId: caller.user.id,
      authorName: caller.user.name,
      rating: body.rating,
      text: body.text,
      version,
    });
    return json({ review }, created ? 201 : 200);
  });
}

/**
 * Deletes the caller's review, or with `?author=<userId>` someone else's, which only a moderator may. Deleting a
 * review the caller does not have is nothing to do (`deleted: false`).
 */
export function removeReview(acting: Acting, listingId: string, url: URL): Promise<Response> {
  const { caller } = acting;
  return refusing(async () => {
    const listing = await visibleListing(caller, listingId);
    const author = url.searchParams.get('author') || caller.user.id;
    if (author !== caller.user.id && !moderates(caller))
      throw new MarketplaceError('forbidden', 'Only its author or a marketplace moderator may delete a review.');
    const existing = await getReview(listing.id, author);
    const deleted = await deleteReview(listing.id, author);
    if (deleted && author !== caller.user.id)
      await auditModeration(acting, 'marketplace.review-delete', listing, {
        author: existing?.authorName ?? author,
        rating: existing?.rating,
      });
    return json({ deleted });
  });
}

export function reportListing(caller: Caller, listingId: string, body: z.output<typeof reportBody>): Promise<Response> {
  return refusing(async () => {
    const listing = await visibleListing(caller, listingId);
    const report = await fileReport({
      listingId: listing.id,
      listingTitle: listing.title,
      reporterId: caller.user.id,
      reporterName: caller.user.name,
      reason: body.reason,
      text: body.text,
    });
    return json({ report }, 201);
  });
}

async function auditModeration(
  { caller, ip }: Acting,
  action: Extract<AuditAction, `marketplace.${string}`>,
  listing: Pick<ListingView, 'id' | 'title' | 'publisherWorkspaceId'>,
  change?: Record<string, unknown>,
): Promise<void> {
  const entry = {
    actor: { id: caller.user.id, name: caller.user.name, via: caller.via },
    action,
    target: { kind: 'listing', id: listing.id, name: listing.title },
    ip,
    ...(change ? { change } : {}),
  };
  // The publisher's admins see what moderators did to their listing; the instance owner sees every moderation.
  await Promise.all([
    ...(listing.publisherWorkspaceId ? [recordAudit({ ...entry, workspaceId: listing.publisherWorkspaceId })] : []),
    recordAudit(entry),
  ]);
}

/** Open reports (oldest first) with their listings, and the featured and unpublished listings. */
export async function loadModerationQueue(): Promise<ModerationQueue> {
  const [reports, featured, unpublished] = await Promise.all([
    openReports(),
    flaggedListings('featured'),
    flaggedListings('unpublished'),
  ]);
  const listings = new Map<string, ListingView | undefined>();
  for (const id of new Set(reports.map((r) => r.listingId))) listings.set(id, await getListing(id));
  return {
    reports: reports.map((report) => ({ ...report, listing: listings.get(report.listingId) ?? null })),
    featured,
    unpublished,
  };
}

export async function moderationQueue(caller: Caller): Promise<Response> {
  requireModerator(caller);
  return json(await loadModerationQueue());
}

const ACTION_AUDIT: Record<ModerationAction, Extract<AuditAction, `marketplace.${string}`>> = {
  unpublish: 'marketplace.unpublish',
  republish: 'marketplace.republish',
  feature: 'marketplace.feature',
  unfeature: 'marketplace.unfeature',
};

/** Unpublishes, republishes, features or unfeatures a listing; answers with the listing as it is now. */
export function moderateListing(
  acting: Acting,
  listingId: string,
  body: z.output<typeof moderationBody>,
): Promise<Response> {
  requireModerator(acting.caller);
  return refusing(async () => {
    const listing = await getListing(listingId);
    if (!listing) throw new MarketplaceError('not-found', `Listing ${listingId} does not exist.`);
    if (body.action === 'unpublish' || body.action === 'republish')
      await setUnpublished(listing.id, body.action === 'unpublish');
    else await setFeatured(listing.id, body.action === 'feature');
    await auditModeration(acting, ACTION_AUDIT[body.action], listing);
    return json({ listing: await getListing(listing.id) });
  });
}

/** Resolves or dismisses an open report. */
export function decideListingReport(
  acting: Acting,
  reportId: string,
  body: z.output<typeof decisionBody>,
): Promise<Response> {
  const { caller } = acting;
  requireModerator(caller);
  return refusing(async () => {
    const report = await decideReport(
      reportId,
      body.decision,
      { id: caller.user.id, name: caller.user.name },
      body.note,
    );
    const listing = (await getListing(report.listingId)) ?? {
      id: report.listingId,
      title: report.listingTitle,
      publisherWorkspaceId: '',
    };
    const action = body.decision === 'resolve' ? 'marketplace.report-resolve' : 'marketplace.report-dismiss';
    await auditModeration(acting, action, listing, { report: report.id, reason: report.reason, note: body.note });
    return json({ report });
  });
}
