// Pretty-printed JSON with large values collapsed behind a button; blob references are named, not dumped.
import { useState } from 'react';

const COLLAPSE_AT = 4_000;

function isBlobRef(value: unknown): value is { $batonBlob: string; bytes?: number } {
  return !!value && typeof value === 'object' && '$batonBlob' in value;
}

export function JsonView({ value, label }: { value: unknown; label: string }) {
  const [expanded, setExpanded] = useState(false);
  if (value === undefined) return <p className="muted json-empty">No {label.toLowerCase()}.</p>;
  if (isBlobRef(value)) {
    return (
      <p className="muted json-empty">
        Large value stored separately ({value.bytes ? `${Math.round(value.bytes / 1024)} KB` : 'size unknown'}, blob{' '}
        {value.$batonBlob}).
      </p>
    );
  }
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value, null, 2);
  const long = text.length > COLLAPSE_AT;
  return (
    <div className="json-view">
      <pre aria-label={label} data-testid={`json-${label.toLowerCase()}`}>
        {long && !expanded ? `${text.slice(0, COLLAPSE_AT)}\n…` : text}
      </pre>
      {long && (
        <button className="btn small" type="button" onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Collapse' : `Show all (${Math.round(text.length / 1024)} KB)`}
        </button>
      )}
    </div>
  );
}
