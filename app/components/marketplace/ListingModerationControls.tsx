// Moderator controls on a listing's page (docs/decisions/071): feature or stop featuring it, unpublish it or publish it
// again. Shown only to instance admins (the reviews API says who is one); the API checks again.
import { Link, useRevalidator } from '@remix-run/react';
import { useState } from 'react';
import type { ListingView } from '../../../contracts/marketplace';
import type { ModerationAction } from '../../../contracts/marketplace-reviews';
import { ApiError, apiFetch } from '../../lib/api-client';
import { ConfirmDialog } from '../ui/ConfirmDialog';

export function ListingModerationControls({ listing: initial }: { listing: ListingView }) {
  const [listing, setListing] = useState(initial);
  const [pending, setPending] = useState<ModerationAction | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The page around the controls (its badges, the moderator banner) comes from the loader: read it again.
  const revalidator = useRevalidator();

  const act = async (action: ModerationAction) => {
    setPending(action);
    setError(null);
    try {
      const { listing: next } = await apiFetch<{ listing: ListingView }>(
        `/api/marketplace/moderation/listings/${listing.id}`,
        { method: 'POST', body: { action } },
      );
      setListing(next);
      setConfirming(false);
      revalidator.revalidate();
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setPending(null);
    }
  };

  return (
    <div className="listing-moderation" role="group" aria-label="Moderation">
      <span className="listing-moderation-label">Moderation</span>
      <span className="listing-moderation-state" role="status">
        {listing.unpublished ? 'Unpublished' : 'Published'}
        {listing.featured ? ' · Featured' : ''}
      </span>
      <button
        className="btn small"
        type="button"
        disabled={pending !== null}
        onClick={() => act(listing.featured ? 'unfeature' : 'feature')}
      >
        {(pending === 'feature' || pending === 'unfeature') && <span className="spinner" />}{' '}
        {listing.featured ? 'Stop featuring' : 'Feature'}
      </button>
      {listing.unpublished ? (
        <button className="btn small" type="button" disabled={pending !== null} onClick={() => act('republish')}>
          {pending === 'republish' && <span className="spinner" />} Publish again
        </button>
      ) : (
        <button
          className="btn small danger"
          type="button"
          disabled={pending !== null}
          onClick={() => setConfirming(true)}
        >
          Unpublish
        </button>
      )}
      <Link to="/marketplace/moderation" className="btn small ghost">
        Moderation queue
      </Link>
      {error && !confirming && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Unpublish “${listing.title}”?`}
        confirmLabel="Unpublish"
        danger
        pending={pending === 'unpublish'}
        error={error}
        onConfirm={() => act('unpublish')}
        onCancel={() => {
          setConfirming(false);
          setError(null);
        }}
      >
        <p>
          Other workspaces stop seeing it in search and on its page. Installed copies keep working. You can publish it
          again from here or from the moderation page.
        </p>
      </ConfirmDialog>
    </div>
  );
}
