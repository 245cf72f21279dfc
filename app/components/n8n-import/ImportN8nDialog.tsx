// "Import from n8n": paste an n8n workflow export or pick its file, check it (a preview from the server: what maps,
// what becomes a placeholder, which credentials and expressions to look at), then create the draft and open it.
import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import type { N8nImportSummary } from '../../../ir/n8n/import';

type Preview = { name: string; nodes: number; summary: N8nImportSummary };
type Problem = { path: string; message: string };

async function post(body: unknown): Promise<{ status: number; data: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch('/api/workflows/import-n8n', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (err) {
    throw new Error(`Cannot reach the Baton server (${(err as Error).message}).`);
  }
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: res.status, data };
}

function errorOf(data: Record<string, unknown>, status: number): { message: string; problems: Problem[] } {
  const error = (data.error ?? {}) as { message?: string; problems?: Problem[] };
  return { message: error.message ?? `The server answered ${status}.`, problems: error.problems ?? [] };
}

export function ImportN8nDialog(props: { open: boolean; onClose(): void; onCreated(id: string): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [source, setSource] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ message: string; problems: Problem[] } | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
    if (!props.open) {
      setSource('');
      setPreview(null);
      setError(null);
    }
  }, [props.open]);

  const pickFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    if (file.size > 5 * 1024 * 1024) {
      setError({
        message: `${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 5 MB.`,
        problems: [],
      });
      return;
    }
    setSource(await file.text());
    setPreview(null);
    setError(null);
  };

  const check = async () => {
    setPending(true);
    setError(null);
    try {
      const { status, data } = await post({ source, preview: true });
      if (status === 200) setPreview(data as unknown as Preview);
      else setError(errorOf(data, status));
    } catch (err) {
      setError({ message: (err as Error).message, problems: [] });
    } finally {
      setPending(false);
    }
  };

  const create = async () => {
    setPending(true);
    setError(null);
    try {
      const { status, data } = await post({ source });
      if (status === 201) props.onCreated((data.workflow as { id: string }).id);
      else setError(errorOf(data, status));
    } catch (err) {
      setError({ message: (err as Error).message, problems: [] });
    } finally {
      setPending(false);
    }
  };

  const s = preview?.summary;
  return (
    <dialog
      ref={ref}
      className="confirm n8n-import"
      onClose={props.onClose}
      aria-labelledby={titleId}
      style={{ width: 600 }}
    >
      <h2 id={titleId}>Import from n8n</h2>
      {!preview ? (
        <>
          <p>
            Paste a workflow exported from n8n (Download, or copy the nodes on its canvas), or pick the .json file.
            Credentials are never imported: you pick Baton credentials afterwards.
          </p>
          <label className="field" style={{ marginTop: 12 }}>
            <span>Workflow JSON</span>
            <textarea
              className="textarea"
              rows={10}
              value={source}
              onChange={(e) => {
                setSource(e.target.value);
                setError(null);
              }}
              placeholder='{ "name": "My workflow", "nodes": [ … ], "connections": { … } }'
              spellCheck={false}
            />
          </label>
          <label className="field" style={{ marginTop: 8 }}>
            <span>Or pick a file</span>
            <input type="file" accept=".json,application/json" onChange={pickFile} />
          </label>
        </>
      ) : (
        <section aria-label="Import summary" style={{ maxHeight: '55vh', overflow: 'auto', marginTop: 8 }}>
          <p>
            <strong>{preview.name}</strong>: {s!.imported.length} node{s!.imported.length === 1 ? '' : 's'} imported
            {s!.placeholders.length
              ? `, ${s!.placeholders.length} placeholder${s!.placeholders.length === 1 ? '' : 's'} to replace`
              : ''}
            .
          </p>
          {s!.placeholders.length > 0 && (
            <SummaryList
              title="Placeholders (disabled until replaced)"
              items={s!.placeholders.map((p) => `${p.node} (${p.originalType}): replace with ${p.replaceWith}`)}
            />
          )}
          {s!.credentials.length > 0 && (
            <SummaryList
              title="Credentials to pick"
              items={s!.credentials.map((c) => `${c.node}: n8n "${c.n8nType}"${c.n8nName ? ` (${c.n8nName})` : ''}`)}
            />
          )}
          {s!.expressions.length > 0 && (
            <SummaryList
              title="Check these expressions"
              items={s!.expressions.map((x) => `${x.node} · ${x.field}: {{ ${x.expression} }}`)}
              mono
            />
          )}
          {s!.disabled.length > 0 && (
            <SummaryList title="Turned off (fix, then enable)" items={s!.disabled.map((d) => d.reason)} />
          )}
          {s!.notes.length > 0 && <SummaryList title="Notes" items={s!.notes.map((n) => `${n.node}: ${n.message}`)} />}
          {s!.skipped.length > 0 && <p className="muted">Not imported: {s!.skipped.join(', ')}.</p>}
        </section>
      )}
      {error && (
        <div className="banner error" role="alert" style={{ marginTop: 12, display: 'block' }}>
          {error.problems.length ? 'The file cannot be imported:' : error.message}
          {error.problems.length > 0 && (
            <ul style={{ margin: '6px 0 0 18px' }}>
              {error.problems.slice(0, 8).map((p) => (
                <li key={p.path + p.message}>
                  <code>{p.path}</code>: {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="dialog-actions">
        <button
          className="btn"
          type="button"
          onClick={preview ? () => setPreview(null) : props.onClose}
          disabled={pending}
        >
          {preview ? 'Back' : 'Cancel'}
        </button>
        {preview ? (
          <button
            className="btn primary"
            type="button"
            onClick={create}
            disabled={pending}
            aria-busy={pending || undefined}
          >
            {pending && <span className="spinner" />} Create workflow
          </button>
        ) : (
          <button
            className="btn primary"
            type="button"
            onClick={check}
            disabled={pending || source.trim() === ''}
            aria-busy={pending || undefined}
          >
            {pending && <span className="spinner" />} Check file
          </button>
        )}
      </div>
    </dialog>
  );
}

function SummaryList(props: { title: string; items: string[]; mono?: boolean }) {
  return (
    <div style={{ marginTop: 12 }}>
      <h3 style={{ fontSize: 13, margin: 0 }}>{props.title}</h3>
      <ul
        style={{
          margin: '4px 0 0 18px',
          fontSize: 13,
          ...(props.mono ? { fontFamily: 'var(--mono)', fontSize: 12 } : {}),
        }}
      >
        {props.items.map((item, i) => (
          <li key={i} style={{ overflowWrap: 'anywhere' }}>
            {item}
          </li>
        ))}
      </ul>
    </div>
  );
}
