// A Wait node waiting for a resume, in the run panel's step detail: what it waits for, when it times out, and how
// to resume it: its signed resume link with a copy button (link mode), or a Resume form that sends optional JSON
// through POST /api/runs/:id/resume (API mode; the API refuses to resume a link-mode wait, decision 034).
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, apiFetch } from '../../lib/api-client';
import { timeAgo } from '../../lib/format';
import type { RunWait } from '../../routes/api.runs.$id.waits';

const WHAT: Record<RunWait['source'], string> = {
  webhook: 'Waiting for its resume link to be called',
  signal: 'Waiting to be resumed through the API',
};

const clock = (iso: string) => new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'medium' });

export function WaitingStep({ runId, wait }: { runId: string; wait: RunWait }) {
  return (
    <div className="waiting-step" data-testid="waiting-step">
      <p className="waiting-what">
        <strong>{WHAT[wait.source]}</strong>
        {wait.since && <span className="muted"> · since {clock(wait.since)}</span>}
      </p>
      <p className="waiting-timeout" data-testid="wait-timeout">
        {wait.timeoutAt ? (
          <>
            Times out <time dateTime={wait.timeoutAt}>{clock(wait.timeoutAt)}</time> ({timeAgo(wait.timeoutAt)}), then
            its input goes down “Timed out”.
          </>
        ) : wait.timeoutExpression ? (
          <>
            Times out after <code>{wait.timeoutExpression}</code>, then its input goes down “Timed out”.
          </>
        ) : (
          'No timeout: it waits as long as it takes.'
        )}
      </p>
      {wait.resumeUrl && <ResumeLink url={wait.resumeUrl} />}
      {wait.source === 'signal' && <ResumeForm runId={runId} nodeId={wait.nodeId} />}
    </div>
  );
}

function ResumeLink({ url }: { url: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null);
  useEffect(() => {
    if (copied !== 'yes') return;
    const timer = setTimeout(() => setCopied(null), 2_000);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      // No clipboard outside a secure context (http on a LAN address): leave the link selected to copy by hand.
      input.current?.select();
      setCopied('select');
    }
  };

  return (
    <div className="resume-link">
      <div className="resume-link-row">
        <input
          ref={input}
          className="input mono"
          readOnly
          value={url}
          aria-label="Resume URL"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button className="btn small" type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p className="muted" role="status">
        {copied === 'yes'
          ? 'Copied.'
          : copied === 'select'
            ? 'Press Ctrl+C to copy the selected link.'
            : 'Works once. Any method; a POST’s body becomes this node’s output.'}
      </p>
    </div>
  );
}

function ResumeForm({ runId, nodeId }: { runId: string; nodeId: string }) {
  const id = useId();
  const [text, setText] = useState('');
  const [state, setState] = useState<{ pending?: boolean; error?: string; resumed?: boolean }>({});

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let data: unknown;
    if (text.trim() !== '') {
      try {
        data = JSON.parse(text);
      } catch (err) {
        setState({ error: `Data is not valid JSON: ${(err as Error).message}` });
        return;
      }
    }
    setState({ pending: true });
    try {
      await apiFetch(`/api/runs/${encodeURIComponent(runId)}/resume`, {
        method: 'POST',
        body: data === undefined ? { node: nodeId } : { node: nodeId, data },
      });
      setState({ resumed: true });
    } catch (err) {
      setState({ error: err instanceof ApiError ? err.message : String(err) });
    }
  };

  return (
    <form className="resume-form" onSubmit={(e) => void submit(e)}>
      <label htmlFor={id}>Data (optional JSON)</label>
      <textarea
        id={id}
        className={`textarea mono${state.error ? ' invalid' : ''}`}
        rows={2}
        placeholder='{ "approved": true }'
        value={text}
        aria-invalid={state.error ? true : undefined}
        onChange={(e) => {
          setText(e.target.value);
          if (state.error) setState({});
        }}
      />
      <div className="resume-form-actions">
        <button className="btn primary small" type="submit" disabled={state.pending || state.resumed}>
          {state.pending && <span className="spinner" />}
          Resume
        </button>
        {state.resumed && (
          <span className="muted" role="status">
            Resumed; the run goes on.
          </span>
        )}
        {state.error && (
          <span className="error-text" role="alert">
            {state.error}
          </span>
        )}
      </div>
    </form>
  );
}
