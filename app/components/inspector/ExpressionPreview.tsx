// Shows what a `{{ … }}` field evaluates to against the last run's data, with the runtime's own evaluator.
import { useEffect, useState } from 'react';
import { hasExpression, resolveTemplates, type ExpressionScope } from '../../../ir/expression';
import type { RunState } from '../../lib/run-view';

function scopeFor(run: RunState | null, nodeId: string, workflowId: string): ExpressionScope {
  const steps = Object.values(run?.steps ?? {});
  return {
    input: run?.steps[nodeId]?.input ?? {},
    trigger: run?.run.trigger ?? {},
    node: (name: string) => steps.find((s) => s.nodeName === name)?.output,
    run: { id: run?.run.runId ?? 'preview', workflowId },
  };
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value, null, 2);
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
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

  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      resolveTemplates(value, scopeFor(run, nodeId, workflowId))
        .then((v) => !cancelled && setResult({ ok: true, text: show(v) }))
        .catch((err: unknown) => !cancelled && setResult({ ok: false, text: (err as Error).message }));
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [active, value, run, nodeId, workflowId]);

  if (!active || !result) return null;
  return (
    <div className={`expr-preview${result.ok ? '' : ' error'}`} aria-live="polite">
      <span className="expr-preview-label">{run ? 'Preview (last run)' : 'Preview (no run yet)'}</span>
      <pre>{result.text}</pre>
    </div>
  );
}
