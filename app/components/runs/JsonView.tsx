// Pretty-printed JSON with large values collapsed behind a button. A value too large to send whole
// arrives as a preview (see lib/run-view `ValuePreview`): its start is shown with a download link.
import { useState } from 'react';
import type { ValuePreview } from '../../../contracts/step-record';
import { indentJsonPrefix, sizeLabel } from '../../lib/run-view';

const COLLAPSE_AT = 4_000;

export function JsonView({ value, preview, label }: { value: unknown; preview?: ValuePreview; label: string }) {
  const [expanded, setExpanded] = useState(false);
  if (preview) return <LargeValueView preview={preview} label={label} />;
  if (value === undefined) return <p className="muted json-empty">No {label.toLowerCase()}.</p>;
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

function LargeValueView({ preview, label }: { preview: ValuePreview; label: string }) {
  const shown = new TextEncoder().encode(preview.preview).length;
  return (
    <div className="json-view large-value" data-testid={`large-${label.toLowerCase()}`}>
      <p className="large-value-note">
        <span>
          Large {label.toLowerCase()} · {sizeLabel(preview.bytes)} — showing the first {sizeLabel(shown)}
        </span>
        <a className="btn small" href={preview.download} download>
          Download
        </a>
      </p>
      <pre aria-label={label} data-testid={`json-${label.toLowerCase()}`}>
        {`${indentJsonPrefix(preview.preview)}\n…`}
      </pre>
    </div>
  );
}
