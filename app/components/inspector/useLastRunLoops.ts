// The last run as the editor page loads it has no loop summaries (the steps API has them, and the run panel asks for
// them only for the run it shows), so a node of a loop body could not find its steps for the expression preview.
// Fetched once per last run, when the document has a loop node.
import { useEffect } from 'react';
import type { StepInfo } from '../../../contracts/step-record';
import { apiFetch } from '../../lib/api-client';
import { withLoops, type LoopSummary } from '../../lib/run-view';
import { useEditor, useWorkflowStore } from '../../stores/workflow-store-context';

export function useLastRunLoops(): void {
  const store = useWorkflowStore();
  // Only while no run is on display (that one's loops come with it) and the last run's loops are unknown.
  const runId = useEditor((s) => (s.run || s.lastRun?.loops ? undefined : s.lastRun?.run.runId));
  const hasLoop = useEditor((s) => s.nodes.some((n) => s.specs[n.data.type]?.runtime.kind === 'loop'));

  useEffect(() => {
    if (!runId || !hasLoop) return;
    let disposed = false;
    apiFetch<{ steps: StepInfo[]; loops: LoopSummary[] }>(`/api/runs/${encodeURIComponent(runId)}/steps`)
      .then(({ steps, loops }) => {
        if (disposed) return;
        store.setState((s) =>
          s.lastRun?.run.runId === runId && !s.lastRun.loops ? { lastRun: withLoops(s.lastRun, loops, steps) } : {},
        );
      })
      // Previews go on without the loops: a body node's preview then says it has no input.
      .catch(() => undefined);
    return () => {
      disposed = true;
    };
  }, [runId, hasLoop, store]);
}
