// Keeps the displayed run current: socket.io events move node colours at once, and the REST API fills in
// inputs/outputs (and covers anything missed while the socket was reconnecting). Loop iterations are not folded in:
// the steps API sums each loop up, and the run panel fetches the iteration it shows (iteration-store.ts).
import { useEffect } from 'react';
import { apiFetch } from '../../lib/api-client';
import { subscribeLive } from '../../lib/live.client';
import type { RunInfo } from '../../../contracts/run-record';
import type { StepInfo } from '../../../contracts/step-record';
import { isFinished, withLoops, type LoopSummary } from '../../lib/run-view';
import { useEditor, useWorkflowStore } from '../../stores/workflow-store-context';

const SAFETY_POLL_MS = 2_000;

export function useLiveRun(): void {
  const store = useWorkflowStore();
  const runId = useEditor((s) => s.run?.run.runId);

  useEffect(() => {
    if (!runId) return;
    let disposed = false;
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;

    const refresh = async () => {
      try {
        const [{ run }, steps] = await Promise.all([
          apiFetch<{ run: RunInfo }>(`/api/runs/${encodeURIComponent(runId)}`),
          apiFetch<{ steps: StepInfo[]; loops: LoopSummary[] }>(`/api/runs/${encodeURIComponent(runId)}/steps`),
        ]);
        if (disposed) return;
        store.getState().mergeRunDetails(run, steps.steps);
        // The store's actions know nothing of loops; the summaries ride on the run state it holds.
        store.setState((s) => (s.run?.run.runId === runId ? { run: withLoops(s.run, steps.loops, steps.steps) } : {}));
      } catch {
        // The next event or the safety poll tries again; the panel keeps what it has.
      }
    };
    const refreshSoon = () => {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => void refresh(), 150);
    };

    const unsubscribe = subscribeLive({ runId }, (event) => {
      // Model and tool calls are not steps: the agent panel follows them (useAgentCalls.ts).
      if (event.kind === 'agent') return;
      const before = store.getState().run;
      store.getState().applyRunEvent(event);
      // An event the fold set aside (a loop iteration's) still says the loop moved on: the API has its state.
      if (event.kind === 'run' || event.status !== 'running' || store.getState().run === before) refreshSoon();
    });
    void refresh();
    const poll = setInterval(() => {
      const current = store.getState().run;
      if (current && !isFinished(current.run.status)) void refresh();
    }, SAFETY_POLL_MS);

    return () => {
      disposed = true;
      unsubscribe();
      clearInterval(poll);
      clearTimeout(refreshTimer);
    };
  }, [runId, store]);
}
