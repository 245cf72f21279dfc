// A `file` param in the inspector (docs/decisions/046-file-values.md): upload a file (a DOCX template) into the
// workspace, and the param holds its signed reference; or switch to an expression naming an upstream node's file.
import { useRef, useState } from 'react';
import { fileUrl, isFileRef, type FileRef } from '../../../contracts/file-ref';
import { sizeLabel } from '../../lib/run-view';

async function upload(file: File): Promise<FileRef> {
  let response: Response;
  try {
    response = await fetch(`/api/files?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'Content-Type': file.type || 'application/octet-stream' },
      body: file,
      credentials: 'same-origin',
    });
  } catch (err) {
    throw new Error(`Cannot reach the Baton server (${(err as Error).message}).`);
  }
  const data = (await response.json().catch(() => ({}))) as { file?: FileRef; error?: { message?: string } };
  if (!response.ok || !data.file) throw new Error(data.error?.message ?? `Upload failed with HTTP ${response.status}.`);
  return data.file;
}

export function FileParamField(props: {
  id: string;
  label: string;
  value: unknown;
  placeholder?: string;
  readOnly: boolean;
  invalid: boolean;
  describedBy?: string;
  onChange(value: unknown): void;
}) {
  const { id, label, value, readOnly, onChange } = props;
  const picker = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const expression = typeof value === 'string';

  const pick = async (file: File | undefined) => {
    if (!file) return;
    setState({ busy: true });
    try {
      onChange(await upload(file));
      setState({ busy: false });
    } catch (err) {
      setState({ busy: false, error: (err as Error).message });
    }
  };

  if (expression)
    return (
      <div className="file-param">
        <input
          id={id}
          className={`input${props.invalid ? ' invalid' : ''}`}
          type="text"
          aria-label={label}
          aria-invalid={props.invalid || undefined}
          aria-describedby={props.describedBy}
          placeholder={props.placeholder}
          value={value}
          readOnly={readOnly}
          onChange={(e) => onChange(e.target.value)}
        />
        {!readOnly && (
          <button type="button" className="btn small" onClick={() => onChange(undefined)}>
            Upload a file instead
          </button>
        )}
      </div>
    );

  const file = isFileRef(value) ? value : undefined;
  const action = state.busy ? 'Uploading…' : file ? 'Replace…' : 'Upload…';
  return (
    <div className="file-param">
      {file ? (
        <p className="file-param-current" data-testid="file-param-current">
          <a href={fileUrl(file.$batonFile, { download: true })} download={file.name}>
            {file.name}
          </a>
          <span className="muted"> · {sizeLabel(file.bytes)}</span>
        </p>
      ) : (
        <p className="muted file-param-current">No file yet.</p>
      )}
      {!readOnly && (
        <div className="file-param-actions">
          <input
            ref={picker}
            type="file"
            hidden
            aria-label={`${label}: choose a file`}
            onChange={(e) => void pick(e.target.files?.[0])}
          />
          <button
            id={id}
            type="button"
            className="btn small"
            disabled={state.busy}
            aria-label={`${action} ${label}`}
            aria-describedby={props.describedBy}
            onClick={() => picker.current?.click()}
          >
            {action}
          </button>
          {file && (
            <button type="button" className="btn small" onClick={() => onChange(undefined)}>
              Remove
            </button>
          )}
          <button type="button" className="btn small" onClick={() => onChange('{{ $input.file }}')}>
            Use an expression
          </button>
        </div>
      )}
      {state.error && (
        <span className="error-text" role="alert">
          {state.error}
        </span>
      )}
    </div>
  );
}
