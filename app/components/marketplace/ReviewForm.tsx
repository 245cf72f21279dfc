// The viewer's own review of a listing: stars (a radio group) and optional markdown text, written for the version
// they pick (the latest by default). Saving the first time creates the review, later saves edit it.
import { useState, type FormEvent } from 'react';
import { REVIEW_LIMITS, type Rating, type ReviewView } from '../../../contracts/marketplace-reviews';
import { ApiError, apiFetch } from '../../lib/api-client';
import { StarRatingInput } from './StarRatingInput';

export function ReviewForm(props: {
  listingId: string;
  versions: string[];
  existing: ReviewView | null;
  onSaved(review: ReviewView): void;
  onCancel?(): void;
}) {
  const [rating, setRating] = useState<Rating | null>(props.existing?.rating ?? null);
  const [text, setText] = useState(props.existing?.text ?? '');
  const [version, setVersion] = useState(props.existing?.version ?? props.versions[0] ?? '');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!rating) return setError('Choose a rating from 1 to 5 stars.');
    setSaving(true);
    setError(null);
    try {
      const { review } = await apiFetch<{ review: ReviewView }>(
        `/api/marketplace/listings/${props.listingId}/reviews`,
        {
          method: 'PUT',
          body: { rating, text, ...(version ? { version } : {}) },
        },
      );
      props.onSaved(review);
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="review-form" onSubmit={submit} noValidate aria-label="Your review">
      <StarRatingInput
        legend={props.existing ? 'Your rating' : 'Rate this workflow'}
        value={rating}
        onChange={setRating}
        disabled={saving}
        invalid={!!error && !rating}
      />
      <div className="field">
        <label htmlFor="review-text">Review</label>
        <textarea
          id="review-text"
          className="textarea"
          rows={4}
          maxLength={REVIEW_LIMITS.textChars}
          value={text}
          disabled={saving}
          placeholder="What did it do for you? What would you change?"
          onChange={(e) => setText(e.target.value)}
        />
        <span className="hint">
          Optional. Markdown: **bold**, *italic*, lists, links. {text.length} / {REVIEW_LIMITS.textChars} characters
        </span>
      </div>
      {props.versions.length > 1 && (
        <div className="field review-version">
          <label htmlFor="review-version">Version you used</label>
          <select
            id="review-version"
            className="select"
            value={version}
            disabled={saving}
            onChange={(e) => setVersion(e.target.value)}
          >
            {props.versions.map((v) => (
              <option key={v} value={v}>
                v{v}
              </option>
            ))}
          </select>
        </div>
      )}
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      <div className="review-form-actions">
        {props.onCancel && (
          <button className="btn" type="button" onClick={props.onCancel} disabled={saving}>
            Cancel
          </button>
        )}
        <button className="btn primary" type="submit" disabled={saving} aria-busy={saving || undefined}>
          {saving && <span className="spinner" />} {props.existing ? 'Save review' : 'Post review'}
        </button>
      </div>
    </form>
  );
}
