// Shows what a `{{ … }}` field evaluates to against the last run's data, with the runtime's own evaluator. A node of a
// loop body previews against its step in the iteration the run panel shows (preview-scope.ts).
import { useEffect, useMemo, useState } from 'react';
import { hasExpression, resolveTemplates } from '../../../ir/expression';
import type { RunState } from '../../lib/run-view';
import { useIterations } from '../runs/iteration-store';
import { previewBasis, previewIteration } from './preview-scope';

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value, null, 2);
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

/** The chosen iteration of the node's loop and, once loaded, its steps; loads it when nothing else has. */
function useIterationSteps(run: RunState | null, nodeId: string) {
  const runId = run?.run.runId;
  const chosen = useIterations((s) => (s.runId === runId ? s.chosen : undefined));
  const at = previewIteration(run, nodeId, chosen);
  const load = useIterations((s) => (at && s.runId === runId ? s.loaded[at.loopId] : undefined));
  // A reload of the iteration on display keeps its steps; a new iteration starts empty while it loads.
  const loaded =
    load && load.iteration === at?.iteration && (load.status !== 'loading' || Object.keys(load.steps).length > 0)
      ? load.steps
      : undefined;
  const loopId = at?.loopId;
  const iteration = at?.iteration;
  useEffect(() => {
    // The run panel loads what it shows; with it closed (a finished run), the preview asks itself.
    if (!runId || !loopId || iteration === undefined) return;
    const state = useIterations.getState();
    const current = state.runId === runId ? state.loaded[loopId] : undefined;
    if (current?.iteration !== iteration) void state.load(runId, loopId, iteration);
  }, [runId, loopId, iteration]);
  return at && { ...at, steps: loaded };
}

export function ExpressionPreview({
  value,
  run,
  nodeId,
  workflowId,
}: {
  value: unknown;
  run: RunState | null;
  nodeId: string;
  workflowId: string;
}) {
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const active = hasExpression(value);
  const iteration = useIterationSteps(run, nodeId);
  const { loopId, iteration: k, steps } = iteration ?? {};
  const basis = useMemo(
    () => previewBasis(run, nodeId, workflowId, loopId && k ? { loopId, iteration: k, steps } : undefined),
    [run, nodeId, workflowId, loopId, k, steps],
  );

  useEffect(() => {
    if (!active || !basis.ready) return;
    const { scope } = basis;
    let cancelled = false;
    const timer = setTimeout(() => {
      resolveTemplates(value, scope)
        .then((v) => !cancelled && setResult({ ok: true, text: show(v) }))
        .catch((err: unknown) => !cancelled && setResult({ ok: false, text: (err as Error).message }));
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [active, value, basis]);

  if (!active) return null;
  if (!basis.ready)
    return (
      <div className="expr-preview" aria-live="polite">
        <span className="expr-preview-label">{basis.label}</span>
      </div>
    );
  if (!result) return null;
  return (
    <div className={`expr-preview${result.ok ? '' : ' error'}`} aria-live="polite" data-testid="expression-preview">
      <span className="expr-preview-label">{basis.label}</span>
      <pre>{result.text}</pre>
    </div>
  );
}
