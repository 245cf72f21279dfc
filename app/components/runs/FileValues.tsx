// The files in a step's value (docs/decisions/046-file-values.md): each one a card with its name, type and size and a
// download link; PDFs and images also preview inline, served by the authenticated file route (/api/files/:id).
import { useMemo, useState } from 'react';
import { fileRefsIn, fileUrl, previewKind, type FileRef } from '../../../contracts/file-ref';
import { sizeLabel } from '../../lib/run-view';
import { NodeIcon } from '../canvas/NodeIcon';

const TYPE_LABELS: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel workbook',
  'text/csv': 'CSV',
  'text/plain': 'Text',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
};

export function FileValues({ value, shownElsewhere }: { value: unknown; shownElsewhere?: ReadonlySet<string> }) {
  const files = useMemo(
    () => fileRefsIn(value).filter((f) => !shownElsewhere?.has(f.$batonFile)),
    [value, shownElsewhere],
  );
  if (files.length === 0) return null;
  // Only the first previewable file opens by default: several PDF viewers at once make the panel crawl.
  const first = files.findIndex((f) => previewKind(f.mimeType));
  return (
    <div className="file-values" data-testid="file-values">
      {files.map((file, i) => (
        <FileCard key={`${file.$batonFile}-${i}`} file={file} previewOpen={i === first} />
      ))}
    </div>
  );
}

function FileCard({ file, previewOpen }: { file: FileRef; previewOpen: boolean }) {
  const kind = previewKind(file.mimeType);
  const [open, setOpen] = useState(previewOpen);
  return (
    <figure className="file-card" aria-label={`File ${file.name}`}>
      <figcaption>
        <NodeIcon icon={kind === 'pdf' ? 'pdf' : file.mimeType.includes('sheet') ? 'sheet' : 'document'} />
        <span className="file-card-name" title={file.name}>
          {file.name}
        </span>
        <span className="muted" data-testid="file-card-meta">
          {TYPE_LABELS[file.mimeType] ?? file.mimeType} · {sizeLabel(file.bytes)}
        </span>
        <span className="file-card-actions">
          {kind && (
            <button type="button" className="btn small" aria-expanded={open} onClick={() => setOpen(!open)}>
              {open ? 'Hide preview' : 'Preview'}
            </button>
          )}
          <a className="btn small" href={fileUrl(file.$batonFile, { download: true })} download={file.name}>
            Download
          </a>
        </span>
      </figcaption>
      {open && kind === 'pdf' && (
        <iframe className="file-preview" src={fileUrl(file.$batonFile)} title={`Preview of ${file.name}`} />
      )}
      {open && kind === 'image' && (
        <img className="file-preview image" src={fileUrl(file.$batonFile)} alt={`Preview of ${file.name}`} />
      )}
    </figure>
  );
}
