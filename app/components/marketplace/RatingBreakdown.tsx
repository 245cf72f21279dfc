// A listing's ratings at a glance: the mean with its stars and count, and one bar per star count (5 down to 1).
import { RATINGS, type RatingSummary } from '../../../contracts/marketplace-reviews';
import { ratingText } from './listing-labels';

/** Read-only stars for a whole or fractional rating (rounded), with the number for screen readers. */
export function Stars({ rating }: { rating: number }) {
  const filled = Math.round(rating);
  return (
    <span className="review-stars" role="img" aria-label={`${rating} out of 5 stars`}>
      <span aria-hidden="true">{'★'.repeat(filled)}</span>
      <span aria-hidden="true" className="review-stars-empty">
        {'★'.repeat(5 - filled)}
      </span>
    </span>
  );
}

export function RatingBreakdown({ summary }: { summary: RatingSummary }) {
  const most = Math.max(1, ...summary.distribution);
  return (
    <div className="rating-breakdown">
      <div className="rating-average">
        <span className="rating-average-number">{summary.average === null ? '–' : summary.average.toFixed(1)}</span>
        <Stars rating={summary.average ?? 0} />
        <span className="muted">{ratingText(summary.average, summary.count)}</span>
      </div>
      <ul className="rating-bars" aria-label="Ratings by stars">
        {[...RATINGS].reverse().map((stars) => {
          const count = summary.distribution[stars - 1] ?? 0;
          return (
            <li key={stars}>
              <span className="rating-bar-label">{stars} ★</span>
              <span className="rating-bar" aria-hidden="true">
                <span style={{ width: `${(count / most) * 100}%` }} />
              </span>
              <span className="rating-bar-count">
                {count}
                <span className="visually-hidden">
                  {' '}
                  rating{count === 1 ? '' : 's'} of {stars} star{stars === 1 ? '' : 's'}
                </span>
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
