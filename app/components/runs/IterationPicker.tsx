// "Iteration 3 of 10,000" with previous/next, a number box to jump, and ←/→ while it has focus: how the run panel
// chooses which iteration of a loop it shows.
import { useEffect, useState, type KeyboardEvent } from 'react';
import { clampIteration, countLabel } from '../../lib/run-view';

interface Props {
  loopName: string;
  iteration: number;
  count: number;
  onChange: (iteration: number) => void;
  loading?: boolean;
}

export function IterationPicker({ loopName, iteration, count, onChange, loading }: Props) {
  const [draft, setDraft] = useState(String(iteration));
  useEffect(() => setDraft(String(iteration)), [iteration]);
  if (count === 0) return <p className="muted iteration-empty">“{loopName}” has not started an iteration yet.</p>;

  const go = (k: number) => {
    const next = clampIteration(k, count, iteration);
    setDraft(String(next));
    if (next !== iteration) onChange(next);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    // The number box keeps its own caret keys.
    if (e.target instanceof HTMLInputElement) return;
    if (e.key === 'ArrowLeft') go(iteration - 1);
    else if (e.key === 'ArrowRight') go(iteration + 1);
    else return;
    e.preventDefault();
  };

  return (
    <div
      className="iteration-picker"
      role="group"
      aria-label={`Iteration of ${loopName}`}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="iteration-picker"
    >
      <button
        type="button"
        className="btn ghost small"
        aria-label="Previous iteration"
        disabled={iteration <= 1}
        onClick={() => go(iteration - 1)}
      >
        ‹
      </button>
      <span className="iteration-label" aria-live="polite">
        Iteration {countLabel(iteration)} of {countLabel(count)}
      </span>
      <button
        type="button"
        className="btn ghost small"
        aria-label="Next iteration"
        disabled={iteration >= count}
        onClick={() => go(iteration + 1)}
      >
        ›
      </button>
      <form
        className="iteration-jump"
        onSubmit={(e) => {
          e.preventDefault();
          go(Number(draft));
        }}
      >
        <input
          type="number"
          min={1}
          max={count}
          step={1}
          value={draft}
          aria-label="Go to iteration"
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => go(Number(draft))}
        />
      </form>
      {loading && <span className="muted iteration-loading">Loading…</span>}
    </div>
  );
}
