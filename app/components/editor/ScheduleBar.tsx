// The editor's schedule bar, under the top bar, for a workflow whose trigger is a schedule: when it fires next, the
// runs it started, and Pause/Resume, Run now, Backfill and Unpublish for the published version's Temporal Schedule.
// For a draft not published yet it previews the fire times publishing would give. Reads and steers through
// /api/workflows/:id/schedule*, refreshing while it shows a live schedule.
import { Link } from '@remix-run/react';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, apiFetch } from '../../lib/api-client';
import type { ScheduleTimingView, ScheduleView } from '../../lib/schedule-view';
import { useEditor } from '../../stores/workflow-store-context';
import { NodeIcon } from '../canvas/NodeIcon';
import { ConfirmDialog } from '../ui/ConfirmDialog';

const REFRESH_MS = 10_000;

type Action = 'pause' | 'resume' | 'run-now' | 'backfill' | 'unpublish';

interface Props {
  workflowId: string;
  /** The schedule as the page loaded it; null when it could not be read (`loadError` says why). */
  initial: ScheduleView | null;
  loadError?: string;
  /** After an unpublish: the page reloads what it shows of the published version. */
  onUnpublished(): void;
}

/**
 * "Today 09:00", else "Tue 3 Mar 09:00" (the year too when it is another): a weekday alone would read the same for
 * last Friday's run and next Friday's fire time. Seconds only when the time has them (a schedule every 2 seconds).
 */
function when(iso: string): string {
  const d = new Date(iso);
  const now = new Date();
  const time = d.toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    ...(d.getSeconds() ? { second: '2-digit' } : {}),
  });
  if (d.toDateString() === now.toDateString()) return `Today ${time}`;
  const year = d.getFullYear() !== now.getFullYear() ? { year: 'numeric' as const } : {};
  return `${d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', ...year })} ${time}`;
}

/** The full date and time, with its zone, for a chip's tooltip. */
const fullDate = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'full', timeStyle: 'long' });

function timingText(t: ScheduleTimingView): string {
  const jitter = t.jitterMs ? ` · jitter ≤ ${t.jitterMs} ms` : '';
  return `${t.summary} (${t.timeZone})${jitter}`;
}

/** A datetime-local value (browser time) `msAgo` before now, for the backfill form. */
const localInput = (msAgo: number) => {
  const d = new Date(Date.now() - msAgo);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

export function ScheduleBar({ workflowId, initial, loadError, onUnpublished }: Props) {
  const [view, setView] = useState(initial);
  const [error, setError] = useState<string | null>(loadError ?? null);
  // Whether the error came from reading the schedule (Retry reads it again) or from an action.
  const [readFailed, setReadFailed] = useState(loadError !== undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<Action | 'refresh' | null>(null);
  const [backfillOpen, setBackfillOpen] = useState(false);
  const [range, setRange] = useState({ from: localInput(3_600_000), to: localInput(0) });
  const [confirmUnpublish, setConfirmUnpublish] = useState(false);
  const revision = useEditor((s) => s.revision);
  const readOnly = useEditor((s) => s.readOnly);

  useEffect(() => {
    setView(initial);
    setError(loadError ?? null);
    setReadFailed(loadError !== undefined);
  }, [initial, loadError]);

  const refresh = useCallback(async () => {
    setBusy((b) => b ?? 'refresh');
    try {
      const res = await apiFetch<{ schedule: ScheduleView }>(`/api/workflows/${workflowId}/schedule`);
      setView(res.schedule);
      setError(null);
      setReadFailed(false);
    } catch (err) {
      setError((err as Error).message);
      setReadFailed(true);
    } finally {
      setBusy((b) => (b === 'refresh' ? null : b));
    }
  }, [workflowId]);

  // A saved draft may fire differently: its preview follows each save.
  const firstRevision = useRef(revision);
  useEffect(() => {
    if (revision !== firstRevision.current) void refresh();
  }, [revision, refresh]);

  const live = view?.published?.live ?? null;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [live, refresh]);

  const act = async (action: Action, run: () => Promise<string>) => {
    setBusy(action);
    setNotice(null);
    try {
      setNotice(await run());
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : `Could not ${action}: ${(err as Error).message}`);
      setReadFailed(false);
    } finally {
      setBusy(null);
    }
  };

  const steer = (action: 'pause' | 'resume' | 'run-now', done: string) =>
    act(action, async () => {
      const res = await apiFetch<{ schedule: ScheduleView }>(`/api/workflows/${workflowId}/schedule/${action}`, {
        method: 'POST',
      });
      setView(res.schedule);
      return done;
    });

  const backfill = (event: FormEvent) => {
    event.preventDefault();
    void act('backfill', async () => {
      const res = await apiFetch<{ slots: number; schedule: ScheduleView }>(
        `/api/workflows/${workflowId}/schedule/backfill`,
        {
          method: 'POST',
          body: { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() },
        },
      );
      setView(res.schedule);
      setBackfillOpen(false);
      return `Backfill started: ${res.slots} run${res.slots === 1 ? '' : 's'}, one after another.`;
    });
  };

  const unpublish = () =>
    act('unpublish', async () => {
      const res = await apiFetch<{ unpublishedVersion: number }>(`/api/workflows/${workflowId}/unpublish`, {
        method: 'POST',
      });
      setConfirmUnpublish(false);
      onUnpublished();
      await refresh();
      return `Version ${res.unpublishedVersion} unpublished: the schedule is deleted and webhooks answer 404.`;
    });

  const published = view?.published ?? null;
  const draft = view?.draft ?? null;
  if (!published && !draft && !error) return null;

  const draftDiffers = published?.timing && draft?.timing && timingText(published.timing) !== timingText(draft.timing);

  return (
    <section className="schedule-bar" aria-label="Schedule" data-testid="schedule-bar">
      <span className="schedule-bar-icon cat-trigger" aria-hidden="true">
        <NodeIcon icon="calendar" size={14} />
      </span>
      {published ? (
        <>
          <strong>Schedule</strong>
          {published.timing && <span className="schedule-timing">{timingText(published.timing)}</span>}
          {published.problem && <span className="error-text">{published.problem}</span>}
          {live ? (
            <>
              <span className={`badge ${live.paused ? 'warning' : 'accent'}`} title={live.note}>
                {live.paused ? 'Paused' : `Live · v${live.workflowVersion ?? published.version}`}
              </span>
              <span className="schedule-times" aria-label="Next fire times">
                {live.paused ? (
                  <span className="muted">No runs until resumed</span>
                ) : live.nextFireTimes.length ? (
                  <>
                    <span className="muted">Next</span>
                    {live.nextFireTimes.map((t) => (
                      <time key={t} className="schedule-chip" dateTime={t} title={fullDate(t)}>
                        {when(t)}
                      </time>
                    ))}
                  </>
                ) : (
                  <span className="muted">No more fire times (its end date has passed)</span>
                )}
              </span>
              {live.recentActions.length > 0 && (
                <span className="schedule-times" aria-label="Recent runs">
                  <span className="muted">Last</span>
                  {live.recentActions.slice(0, 3).map((a) => (
                    <Link
                      key={a.runId}
                      className="schedule-chip link"
                      to={`?run=${encodeURIComponent(a.runId)}`}
                      title={`The run due ${fullDate(a.scheduledAt)}`}
                    >
                      <time dateTime={a.scheduledAt}>{when(a.scheduledAt)}</time>
                    </Link>
                  ))}
                </span>
              )}
            </>
          ) : (
            <span className="error-text">Not in Temporal: publish again to create it.</span>
          )}
        </>
      ) : (
        draft && (
          <>
            <strong>Schedule</strong>
            <span className="badge">Not published</span>
            {draft.timing && <span className="schedule-timing">{timingText(draft.timing)}</span>}
            {draft.problem ? (
              <span className="error-text">{draft.problem}</span>
            ) : (
              <span className="schedule-times" aria-label="Fire times after publishing">
                <span className="muted">Would fire</span>
                {draft.nextFireTimes.map((t) => (
                  <time key={t} className="schedule-chip" dateTime={t} title={fullDate(t)}>
                    {when(t)}
                  </time>
                ))}
              </span>
            )}
          </>
        )
      )}
      {draftDiffers && <span className="muted">The saved draft fires differently; publish to apply it.</span>}
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
      {notice && !error && (
        <span className="schedule-notice" role="status">
          {notice}
        </span>
      )}
      <span className="spacer" />
      {busy === 'refresh' && <span className="spinner" aria-label="Refreshing" />}
      {error && readFailed && !busy && (
        <button className="btn ghost small" type="button" onClick={() => void refresh()}>
          Retry
        </button>
      )}
      {live && !readOnly && (
        <div className="btn-group" role="group" aria-label="Schedule actions">
          <button
            className="btn small"
            type="button"
            disabled={busy !== null && busy !== 'refresh'}
            onClick={() => void steer(live.paused ? 'resume' : 'pause', live.paused ? 'Resumed.' : 'Paused.')}
          >
            {(busy === 'pause' || busy === 'resume') && <span className="spinner" />}
            {live.paused ? 'Resume' : 'Pause'}
          </button>
          <button
            className="btn small"
            type="button"
            disabled={busy !== null && busy !== 'refresh'}
            onClick={() => void steer('run-now', 'Run started; it shows under Last in a moment.')}
            title="Start a run of the published version now"
          >
            {busy === 'run-now' && <span className="spinner" />}
            Run now
          </button>
          <button
            className="btn small"
            type="button"
            aria-expanded={backfillOpen}
            onClick={() => setBackfillOpen((o) => !o)}
            title="Run the fire times of a past range that were missed"
          >
            Backfill…
          </button>
        </div>
      )}
      {published && !readOnly && (
        <button className="btn ghost small" type="button" onClick={() => setConfirmUnpublish(true)}>
          Unpublish
        </button>
      )}
      {backfillOpen && live && (
        <form className="schedule-backfill" onSubmit={backfill}>
          <label>
            From
            <input
              className="input"
              type="datetime-local"
              step={1}
              required
              value={range.from}
              onChange={(e) => setRange({ ...range, from: e.target.value })}
            />
          </label>
          <label>
            To
            <input
              className="input"
              type="datetime-local"
              step={1}
              required
              value={range.to}
              onChange={(e) => setRange({ ...range, to: e.target.value })}
            />
          </label>
          <span className="muted">Your local time. Past fire times without a run, 1000 at most.</span>
          <button className="btn small primary" type="submit" disabled={busy !== null && busy !== 'refresh'}>
            {busy === 'backfill' && <span className="spinner" />}
            Run missed fire times
          </button>
          <button className="btn ghost small" type="button" onClick={() => setBackfillOpen(false)}>
            Cancel
          </button>
        </form>
      )}
      <ConfirmDialog
        open={confirmUnpublish}
        title="Unpublish this workflow?"
        confirmLabel="Unpublish"
        danger
        pending={busy === 'unpublish'}
        error={confirmUnpublish ? error : null}
        onCancel={() => setConfirmUnpublish(false)}
        onConfirm={() => void unpublish()}
      >
        <p>
          No version will be live: its schedule is deleted and its webhooks answer 404. Runs already started go on.
          Publish again to bring it back.
        </p>
      </ConfirmDialog>
    </section>
  );
}
