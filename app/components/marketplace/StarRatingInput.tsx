// A 1–5 star rating input that is a native radio group: Tab reaches it, the arrow keys move between stars, and a
// screen reader hears "4 stars, radio, 4 of 5". The stars up to the hovered or chosen one are drawn filled.
import { useId, useState } from 'react';
import { RATINGS, type Rating } from '../../../contracts/marketplace-reviews';

export function StarRatingInput(props: {
  value: Rating | null;
  onChange(rating: Rating): void;
  legend: string;
  disabled?: boolean;
  invalid?: boolean;
}) {
  const name = useId();
  const [hover, setHover] = useState<Rating | null>(null);
  const shown = hover ?? props.value ?? 0;
  return (
    <fieldset
      className={`star-input${props.invalid ? ' invalid' : ''}`}
      disabled={props.disabled}
      onMouseLeave={() => setHover(null)}
    >
      <legend>{props.legend}</legend>
      <div className="star-input-stars">
        {RATINGS.map((rating) => (
          <label key={rating} className={rating <= shown ? 'on' : undefined} onMouseEnter={() => setHover(rating)}>
            <input
              type="radio"
              className="star-input-radio"
              name={name}
              value={rating}
              checked={props.value === rating}
              onChange={() => props.onChange(rating)}
            />
            <span aria-hidden="true">★</span>
            <span className="visually-hidden">
              {rating} star{rating === 1 ? '' : 's'}
            </span>
          </label>
        ))}
        <span className="star-input-label" aria-hidden="true">
          {props.value ? STAR_WORDS[props.value] : 'Choose a rating'}
        </span>
      </div>
    </fieldset>
  );
}

const STAR_WORDS: Record<Rating, string> = {
  1: 'Poor',
  2: 'Fair',
  3: 'Good',
  4: 'Very good',
  5: 'Excellent',
};
