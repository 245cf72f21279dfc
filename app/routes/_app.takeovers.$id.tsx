// One human-takeover task (docs/decisions/059): a Browser step failed and its run waits for a person. The person it
// asks sees the live browser, drives it, then presses "Done, continue" (the run goes on with the next step) or
// "Give up" (the step fails with their note). Anyone who may read the workspace sees the task; another workspace's
// is a 404.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useRevalidator, useRouteError } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { TAKEOVER_STATUS_TEXT, type TakeoverDecision } from '../../contracts/browser-takeover';
import { fileUrl } from '../../contracts/file-ref';
import { getTakeover } from '../../db/browser-takeovers';
import { LiveBrowserView } from '../components/browser/LiveBrowserView';
import { timeLeftText } from '../components/approvals/approval-text';
import { useTakeover } from '../components/takeovers/useTakeover';
import { ApiError, apiFetch } from '../lib/api-client';
import { requirePageCaller } from '../lib/auth.server';
import { takeoverView } from '../lib/browser-takeover.server';
import { routeErrorMessage } from '../lib/format';
import takeoversCss from '../styles/takeovers.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: takeoversCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.takeover.step} · Browser takeover · Baton` : 'Browser takeover · Baton' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/takeovers/:id');
  const task = await getTakeover(caller.scope, params.id ?? '');
  if (!task) throw new Response(`Takeover ${params.id} does not exist.`, { status: 404 });
  return { takeover: takeoverView(task, caller), serverNow: Date.now() };
}

const STATUS_CLASS = {
  open: 'running',
  done: 'succeeded',
  'gave-up': 'failed',
  'timed-out': 'timed-out',
  cancelled: 'cancelled',
  superseded: 'cancelled',
} as const;

const LIVE_TEXT = {
  connecting: 'Connecting to the browser…',
  live: undefined,
  unreachable: 'The worker holding this browser cannot be reached.',
  closed: 'The browser was released.',
  refused: 'You cannot take over this browser.',
} as const;

const when = (iso: string) => new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

/** Counts down from the server's clock, so a wrong clock on the person's machine does not matter. */
function useNow(serverNow: number): number {
  const [offset] = useState(() => Date.now() - serverNow);
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() - offset), 1_000);
    return () => clearInterval(timer);
  }, [offset]);
  return now;
}

export default function TakeoverPage() {
  const { takeover: t, serverNow } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const open = t.status === 'open';
  const { state, send } = useTakeover(t.id, t.you.canDecide);
  const now = useNow(serverNow);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<TakeoverDecision>();
  const [error, setError] = useState<string>();

  // The worker lets go of the page when the task closes (a decision elsewhere, the deadline): show how it ended.
  const revalidateRef = useRef(revalidator.revalidate);
  revalidateRef.current = revalidator.revalidate;
  useEffect(() => {
    if (state.live === 'closed' && open) revalidateRef.current();
  }, [state.live, open]);

  const decide = async (decision: TakeoverDecision) => {
    setBusy(decision);
    setError(undefined);
    try {
      await apiFetch(`/api/takeovers/${encodeURIComponent(t.id)}/decision`, {
        method: 'POST',
        body: { decision, ...(note.trim() ? { note: note.trim() } : {}) },
      });
      revalidator.revalidate();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(undefined);
    }
  };

  const left = open ? timeLeftText(t.deadlineAt, now) : undefined;
  return (
    <main className="page takeover-page">
      <div className="page-header">
        <div>
          <p className="muted">
            <Link to="/inbox">Inbox</Link> / Browser takeover
          </p>
          <h1>Browser needs a person: {t.step}</h1>
          <p className="muted">
            {t.workflowName} · {t.nodeName} · <Link to={`/runs/${encodeURIComponent(t.runId)}`}>run {t.runId}</Link>
          </p>
        </div>
        <span className={`badge ${STATUS_CLASS[t.status]}`} data-testid="takeover-status">
          {TAKEOVER_STATUS_TEXT[t.status]}
        </span>
      </div>

      {open && t.you.canDecide && (
        <div className="banner info">
          The run waits while you finish this step in the browser below: click into it, type, then press “Done,
          continue”. If the worker holding the browser stops, the run starts the node again on another worker and opens
          a new task.
        </div>
      )}
      {open && !t.you.canDecide && (
        <div className="banner info">This task asks {t.from.join(', ')}; you can follow it but not take over.</div>
      )}

      <div className="takeover-layout">
        <section className="card takeover-view" aria-label="Live browser">
          {open && t.you.canDecide ? (
            <>
              <div className="takeover-url mono" title={state.url ?? t.url}>
                {state.url ?? t.url}
              </div>
              <LiveBrowserView
                frame={state.frame}
                onInput={send}
                disabled={state.live !== 'live' || busy !== undefined}
                status={state.message ?? LIVE_TEXT[state.live]}
              />
            </>
          ) : t.screenshot ? (
            <figure className="takeover-shot">
              <img src={fileUrl(t.screenshot.$batonFile)} alt={`The page when ${t.step} failed`} />
              <figcaption className="muted">The page when the step failed.</figcaption>
            </figure>
          ) : (
            <p className="muted takeover-empty">
              {open ? 'The live browser is shown to the people this task asks.' : 'The browser was released.'}
            </p>
          )}
        </section>

        <aside className="card takeover-side">
          <dl className="approval-facts">
            <dt>Step</dt>
            <dd>{t.step}</dd>
            <dt>Error</dt>
            <dd className="takeover-error" data-testid="takeover-reason">
              {t.reason}
            </dd>
            <dt>Page</dt>
            <dd className="mono takeover-wrap">{t.url}</dd>
            <dt>Asked</dt>
            <dd>{t.from.join(', ')}</dd>
            <dt>Opened</dt>
            <dd>{when(t.createdAt)}</dd>
            {left && (
              <>
                <dt>Time left</dt>
                <dd data-testid="takeover-time-left">{left}</dd>
              </>
            )}
            {t.closedAt && (
              <>
                <dt>Closed</dt>
                <dd>
                  {when(t.closedAt)}
                  {t.decidedBy ? ` by ${t.decidedBy.name ?? t.decidedBy.id}` : ''}
                </dd>
              </>
            )}
            {t.note && (
              <>
                <dt>Note</dt>
                <dd>“{t.note}”</dd>
              </>
            )}
          </dl>

          {open && t.you.canDecide && (
            <form
              className="takeover-decide"
              onSubmit={(e) => {
                e.preventDefault();
                void decide('done');
              }}
            >
              <label htmlFor="takeover-note">Note (optional)</label>
              <textarea
                id="takeover-note"
                rows={3}
                maxLength={2000}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                placeholder="What you did, or why you gave up"
              />
              {error && (
                <div className="banner error" role="alert">
                  {error}
                </div>
              )}
              <div className="takeover-actions">
                <button type="submit" className="btn primary" disabled={busy !== undefined}>
                  {busy === 'done' ? 'Continuing…' : 'Done, continue'}
                </button>
                <button
                  type="button"
                  className="btn danger"
                  disabled={busy !== undefined}
                  onClick={() => void decide('give-up')}
                >
                  {busy === 'give-up' ? 'Giving up…' : 'Give up'}
                </button>
              </div>
            </form>
          )}
        </aside>
      </div>
    </main>
  );
}

export function ErrorBoundary() {
  const message = routeErrorMessage(useRouteError(), 'Unknown error');
  return (
    <main className="page">
      <h1>Browser takeover</h1>
      <div className="banner error" role="alert">
        {message} <Link to="/inbox">Back to the inbox</Link>
      </div>
    </main>
  );
}
