// A node's input or output on the run page: pretty JSON paged PAGE_CHARS at a time, downloadable whole. A value too
// large to send (a preview) shows its start and downloads from the step's field route.
import { useMemo, useState } from 'react';
import type { ValuePreview } from '../../../contracts/step-record';
import { indentJsonPrefix, sizeLabel } from '../../lib/run-view';
import { FileValues } from './FileValues';

const PAGE_CHARS = 8_000;

export function RunValueView({
  label,
  value,
  preview,
  download,
  shownElsewhere,
}: {
  label: string;
  value: unknown;
  preview?: ValuePreview;
  /** The step field route, for values sent whole too. */
  download: string;
  /** Files another view of the step already shows (a Browser step's filmstrip), left out of the file cards. */
  shownElsewhere?: ReadonlySet<string>;
}) {
  const text = useMemo(
    () =>
      preview ? `${indentJsonPrefix(preview.preview)}\n…` : value === undefined ? '' : JSON.stringify(value, null, 2),
    [value, preview],
  );
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(text.length / PAGE_CHARS));
  if (!preview && value === undefined) return <p className="muted">No {label.toLowerCase()}.</p>;
  return (
    <div className="json-view" data-testid={`run-value-${label.toLowerCase()}`}>
      <p className="large-value-note">
        <span>
          {label}
          {preview ? ` · ${sizeLabel(preview.bytes)}, showing the start` : ` · ${sizeLabel(new Blob([text]).size)}`}
        </span>
        <a className="btn small" href={preview?.download ?? download} download>
          Download
        </a>
      </p>
      {!preview && <FileValues value={value} shownElsewhere={shownElsewhere} />}
      <pre aria-label={label}>{text.slice(page * PAGE_CHARS, (page + 1) * PAGE_CHARS)}</pre>
      {pages > 1 && (
        <div className="json-pages">
          <button type="button" className="btn small" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span className="muted">
            Page {page + 1} of {pages}
          </span>
          <button type="button" className="btn small" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
            Next
          </button>
        </div>
      )}
    </div>
  );
}
