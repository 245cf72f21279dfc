// Keeps the chosen iteration of every loop of the displayed run loaded: again when the choice changes, when the
// loop's summary moves (more iterations, more failures), and every couple of seconds while the run goes on.
import { useEffect } from 'react';
import { clampIteration, isFinished, type RunState } from '../../lib/run-view';
import { useIterations } from './iteration-store';

const LIVE_RELOAD_MS = 2_000;

export function useIterationLoads(run: RunState | null): void {
  const chosen = useIterations((s) => (s.runId === run?.run.runId ? s.chosen : undefined));
  const load = useIterations((s) => s.load);
  const runId = run?.run.runId;
  const finished = run ? isFinished(run.run.status) : true;
  // One string for what should be on display, so the effect runs when (and only when) it changes.
  const wanted = JSON.stringify(
    Object.values(run?.loops ?? {})
      .filter((l) => l.iterations > 0)
      .map((l) => [l.nodeId, clampIteration(chosen?.[l.nodeId] ?? 1, l.iterations), l.iterations, l.failed]),
  );

  useEffect(() => {
    const loops = JSON.parse(wanted) as Array<[string, number]>;
    if (!runId || loops.length === 0) return;
    const each = () => {
      for (const [loopId, k] of loops) void load(runId, loopId, k);
    };
    each();
    if (finished) return;
    const timer = setInterval(each, LIVE_RELOAD_MS);
    return () => clearInterval(timer);
  }, [runId, wanted, finished, load]);
}
