// The reviews panel of a listing's page (docs/decisions/071): the average and how many of each star, the viewer's own
// review (write, edit, delete), everyone's reviews newest first with "Show more", "Report this listing", and for
// moderators the listing's moderation controls. It loads its own data from the reviews API, after the page renders.
import { useRevalidator } from '@remix-run/react';
import { useCallback, useEffect, useState } from 'react';
import type { ListingView, ListingVersionView } from '../../../contracts/marketplace';
import type { ReportView, ReviewsPage, ReviewView } from '../../../contracts/marketplace-reviews';
import { ApiError, apiFetch } from '../../lib/api-client';
import { dateTime, timeAgo } from '../../lib/format';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ListingModerationControls } from './ListingModerationControls';
import { MarkdownText } from './MarkdownText';
import { RatingBreakdown, Stars } from './RatingBreakdown';
import { ReportListingDialog } from './ReportListingDialog';
import { ReviewForm } from './ReviewForm';
import './listing-reviews.css';

export interface ListingReviewsProps {
  listing: ListingView;
  versions: ListingVersionView[];
  /** The viewer's workspace and role on the listing page. */
  viewer: { workspaceId: string; userId: string; role: string };
}

const errorText = (err: unknown) => (err instanceof ApiError || err instanceof Error ? err.message : String(err));

export function ListingReviews({ listing, versions }: ListingReviewsProps) {
  const [page, setPage] = useState<ReviewsPage | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [editing, setEditing] = useState(false);
  const [reporting, setReporting] = useState(false);
  const [removing, setRemoving] = useState<ReviewView | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [removePending, setRemovePending] = useState(false);
  const base = `/api/marketplace/listings/${listing.id}/reviews`;
  // The page's header shows the listing's rating from its loader: reload it after a review changes.
  const revalidator = useRevalidator();

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      setPage(await apiFetch<ReviewsPage>(base));
    } catch (err) {
      setLoadError(errorText(err));
    }
  }, [base]);
  useEffect(() => {
    void load();
  }, [load]);

  const more = async () => {
    if (!page?.next) return;
    setLoadingMore(true);
    try {
      const next = await apiFetch<ReviewsPage>(`${base}?after=${encodeURIComponent(page.next)}`);
      setPage({ ...next, reviews: [...page.reviews, ...next.reviews] });
    } catch (err) {
      setLoadError(errorText(err));
    } finally {
      setLoadingMore(false);
    }
  };

  const remove = async () => {
    if (!removing || !page) return;
    setRemovePending(true);
    setRemoveError(null);
    try {
      const own = removing.userId === page.viewer.review?.userId;
      await apiFetch(own ? base : `${base}?author=${encodeURIComponent(removing.userId)}`, { method: 'DELETE' });
      setRemoving(null);
      setEditing(false);
      await load();
      revalidator.revalidate();
    } catch (err) {
      setRemoveError(errorText(err));
    } finally {
      setRemovePending(false);
    }
  };

  const saved = async () => {
    setEditing(false);
    await load();
    revalidator.revalidate();
  };
  const others = page?.reviews.filter((review) => review.userId !== page.viewer.review?.userId) ?? [];
  const reported = (report: ReportView) => {
    setReporting(false);
    if (page) setPage({ ...page, viewer: { ...page.viewer, openReport: report } });
  };

  return (
    <section className="card listing-reviews" aria-labelledby="reviews-heading">
      <div className="listing-reviews-head">
        <h2 id="reviews-heading">Ratings and reviews</h2>
        {page?.viewer.openReport ? (
          <span className="muted report-state" role="status">
            You reported this listing {timeAgo(page.viewer.openReport.createdAt)}; a moderator will look at it.
          </span>
        ) : (
          <button className="btn ghost small" type="button" disabled={!page} onClick={() => setReporting(true)}>
            Report this listing
          </button>
        )}
      </div>
      {page?.viewer.moderator && <ListingModerationControls listing={listing} />}
      {loadError && (
        <div className="banner error" role="alert">
          Could not load the reviews: {loadError}{' '}
          <button className="btn small" type="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      )}
      {!page && !loadError && (
        <p className="muted" role="status">
          <span className="spinner" /> Loading reviews…
        </p>
      )}
      {page && (
        <>
          <RatingBreakdown summary={page.summary} />
          <div className="own-review">
            {page.viewer.cannotReview ? (
              <p className="muted">{page.viewer.cannotReview}</p>
            ) : page.viewer.review && !editing ? (
              <div className="own-review-shown">
                <h3>Your review</h3>
                <ReviewItem review={page.viewer.review} />
                <div className="review-form-actions">
                  <button className="btn small" type="button" onClick={() => setEditing(true)}>
                    Edit review
                  </button>
                  <button className="btn small ghost" type="button" onClick={() => setRemoving(page.viewer.review)}>
                    Delete review
                  </button>
                </div>
              </div>
            ) : (
              <ReviewForm
                listingId={listing.id}
                versions={versions.map((v) => v.version)}
                existing={page.viewer.review}
                onSaved={saved}
                onCancel={page.viewer.review ? () => setEditing(false) : undefined}
              />
            )}
          </div>
          {page.summary.count === 0 && (
            <p className="muted reviews-empty">No reviews yet. Installed it? Tell others how it went.</p>
          )}
          {others.length > 0 && (
            // The viewer's own review is shown above, with its buttons.
            <ol className="review-list" aria-label="Reviews">
              {others.map((review) => (
                <li key={review.id}>
                  <ReviewItem review={review} />
                  {page.viewer.moderator && (
                    <button className="btn small ghost" type="button" onClick={() => setRemoving(review)}>
                      Remove review
                    </button>
                  )}
                </li>
              ))}
            </ol>
          )}
          {page.next && (
            <button className="btn" type="button" onClick={more} disabled={loadingMore}>
              {loadingMore && <span className="spinner" />} Show more reviews
            </button>
          )}
        </>
      )}
      {reporting && (
        <ReportListingDialog
          listingId={listing.id}
          listingTitle={listing.title}
          onDone={reported}
          onClose={() => setReporting(false)}
        />
      )}
      <ConfirmDialog
        open={removing !== null}
        title={removing?.userId === page?.viewer.review?.userId ? 'Delete your review?' : 'Remove this review?'}
        confirmLabel="Delete"
        danger
        pending={removePending}
        error={removeError}
        onConfirm={remove}
        onCancel={() => {
          setRemoving(null);
          setRemoveError(null);
        }}
      >
        <p>The rating goes out of the listing’s average too. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}

function ReviewItem({ review }: { review: ReviewView }) {
  const edited = review.updatedAt !== review.createdAt;
  return (
    <article className="review" aria-label={`Review by ${review.authorName}`}>
      <header className="review-head">
        <Stars rating={review.rating} />
        <strong>{review.authorName}</strong>
        {review.version && <span className="mono muted">v{review.version}</span>}
        <time className="muted" dateTime={review.updatedAt} title={dateTime(review.updatedAt)}>
          {timeAgo(review.updatedAt)}
          {edited ? ' (edited)' : ''}
        </time>
      </header>
      {review.text && <MarkdownText source={review.text} className="review-text" />}
    </article>
  );
}
