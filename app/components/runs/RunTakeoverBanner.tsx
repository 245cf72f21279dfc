// The run page's banner for Browser steps waiting for a person (docs/decisions/059), live: a takeover task opening or
// closing sends a run event (activities/browser-takeover.ts), on which the banner reads the run's open tasks again,
// so it appears and goes without a reload. Shown only while the run runs.
import { Link } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { apiFetch } from '../../lib/api-client';
import { subscribeLive } from '../../lib/live.client';
import type { WaitingTakeover } from '../../lib/run-takeovers';

/** The run's open takeover tasks: the loader's at first, then read again on each of the run's run events. */
export function useRunTakeovers(runId: string, initial: WaitingTakeover[]): WaitingTakeover[] {
  const [tasks, setTasks] = useState(initial);
  useEffect(() => setTasks(initial), [initial]);
  useEffect(() => {
    let disposed = false;
    const refresh = () =>
      apiFetch<{ takeovers: WaitingTakeover[] }>(`/api/runs/${encodeURIComponent(runId)}/takeovers`)
        .then(({ takeovers }) => !disposed && setTasks(takeovers))
        // The next event tries again; the banner keeps what it has.
        .catch(() => undefined);
    const unsubscribe = subscribeLive({ runId }, (event) => {
      if (event.kind === 'run') void refresh();
    });
    return () => {
      disposed = true;
      unsubscribe();
    };
  }, [runId]);
  return tasks;
}

export function RunTakeoverBanner(props: { runId: string; running: boolean; initial: WaitingTakeover[] }) {
  const tasks = useRunTakeovers(props.runId, props.initial);
  if (!props.running) return null;
  return (
    <>
      {tasks.map((t) => (
        <div key={t.id} className="banner info" role="status" data-testid="run-takeover">
          {t.nodeName} is waiting for a person: {t.step}.{' '}
          <Link className="btn small primary" to={`/takeovers/${encodeURIComponent(t.id)}`}>
            Take over
          </Link>
        </div>
      ))}
    </>
  );
}
