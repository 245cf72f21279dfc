// One marketplace card: the graph's preview, category, title, a plain summary, rating, installs, permission chips and
// tags. The whole card is a link named by the listing's title, so the keyboard and e2e tests find it by title.
import { Link } from '@remix-run/react';
import type { ListingView } from '../../../contracts/marketplace';
import { NodeIcon } from '../canvas/NodeIcon';
import { installsText, PERMISSION_LABELS, plainSummary, ratingText } from './listing-labels';

export function PermissionChips({ permissions }: { permissions: ListingView['permissions'] }) {
  if (permissions.length === 0) return null;
  return (
    <ul className="listing-permissions" aria-label="Permissions">
      {permissions.map((p) => (
        <li key={p} className={`listing-permission ${p}`} title={PERMISSION_LABELS[p].hint}>
          {PERMISSION_LABELS[p].label}
        </li>
      ))}
    </ul>
  );
}

export function RatingStars({ rating, count }: { rating: number | null; count: number }) {
  const filled = rating === null ? 0 : Math.round(rating);
  return (
    <span className="listing-rating" title={ratingText(rating, count)}>
      <span aria-hidden="true" className="listing-stars">
        {'★'.repeat(filled)}
        <span className="listing-stars-empty">{'★'.repeat(5 - filled)}</span>
      </span>
      <span className="visually-hidden">{ratingText(rating, count)}</span>
      {count > 0 && (
        <span className="listing-rating-count" aria-hidden="true">
          {rating!.toFixed(1)} ({count})
        </span>
      )}
    </span>
  );
}

/** `preview`: a `data:` URL of the latest version's graph (ir/preview), drawn on the server. */
export function ListingCard({ listing, preview }: { listing: ListingView; preview?: string }) {
  return (
    <li className="listing-card">
      <Link to={`/marketplace/${listing.id}`} className="card-link listing-card-link" aria-label={listing.title}>
        {preview ? (
          <img className="listing-card-preview" src={preview} alt="" width={400} height={210} loading="lazy" />
        ) : (
          <div className="listing-card-preview empty" aria-hidden="true" />
        )}
        <div className="listing-card-top">
          {listing.icon && (
            <span className="listing-icon">
              <NodeIcon icon={listing.icon} size={14} />
            </span>
          )}
          <span className="listing-category">{listing.category}</span>
          {listing.featured && <span className="listing-featured">Featured</span>}
          {listing.latestVersion && <span className="listing-version">v{listing.latestVersion}</span>}
        </div>
        <h3 className="listing-card-title">{listing.title}</h3>
        <p className="listing-card-summary">{plainSummary(listing.description) || 'No description.'}</p>
        <div className="listing-card-stats">
          <RatingStars rating={listing.rating} count={listing.ratingCount} />
          <span className="muted">{installsText(listing.installs)}</span>
        </div>
        <PermissionChips permissions={listing.permissions} />
        {listing.tags.length > 0 && (
          <ul className="listing-tags" aria-label="Tags">
            {listing.tags.slice(0, 6).map((tag) => (
              <li key={tag} className="listing-tag">
                {tag}
              </li>
            ))}
          </ul>
        )}
      </Link>
    </li>
  );
}
