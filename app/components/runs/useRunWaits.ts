// The displayed run's Wait nodes that wait for a resume (GET /api/runs/:id/waits), asked again whenever the set of
// its running Wait steps changes. A wait whose step has moved on drops out at once, without waiting for an answer.
import { useEffect, useMemo, useState } from 'react';
import { apiFetch } from '../../lib/api-client';
import { isFinished, type RunState } from '../../lib/run-view';
import type { RunWait } from '../../routes/api.runs.$id.waits';

const RETRY_MS = 3_000;

export function useRunWaits(run: RunState | null): Record<string, RunWait> {
  const runId = run?.run.runId;
  // Steps learn their type from the REST refresh; a live event alone does not carry it.
  const waiting =
    run && !isFinished(run.run.status)
      ? Object.values(run.steps)
          .filter((s) => s.type === 'wait' && s.status === 'running')
          .map((s) => s.nodeId)
          .sort()
          .join('\n')
      : '';
  const [answer, setAnswer] = useState<{ runId: string; waits: RunWait[] }>();
  const [failures, setFailures] = useState(0);

  useEffect(() => {
    if (!runId || !waiting) return;
    let disposed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    apiFetch<{ waits: RunWait[] }>(`/api/runs/${encodeURIComponent(runId)}/waits`)
      .then(({ waits }) => !disposed && setAnswer({ runId, waits }))
      // A wait may last days: try again rather than leave it without its link.
      .catch(() => {
        if (!disposed) retry = setTimeout(() => setFailures((n) => n + 1), RETRY_MS);
      });
    return () => {
      disposed = true;
      clearTimeout(retry);
    };
  }, [runId, waiting, failures]);

  return useMemo(() => {
    if (!answer || answer.runId !== runId) return {};
    const ids = new Set(waiting.split('\n'));
    return Object.fromEntries(answer.waits.filter((w) => ids.has(w.nodeId)).map((w) => [w.nodeId, w]));
  }, [answer, runId, waiting]);
}
