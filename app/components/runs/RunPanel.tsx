// The bottom run panel: the run's status, its steps in order, and the selected node's input, output and error.
import { Link } from '@remix-run/react';
import { useMemo } from 'react';
import { durationLabel, runDurationMs } from '../../lib/run-view';
import { useEditor, useWorkflowStore } from '../../stores/workflow-store-context';
import { StatusBadge } from '../ui/StatusBadge';
import { JsonView } from './JsonView';
import { RunStopControls } from './RunStopControls';

export function RunPanel() {
  const run = useEditor((s) => s.run);
  const selectedNodeId = useEditor((s) => s.selectedNodeId);
  // Only the selected node's name: subscribing to all nodes would re-render the panel on every drag frame.
  const selectedName = useEditor((s) => s.nodes.find((n) => n.id === s.selectedNodeId)?.data.name);
  const selectNode = useEditor((s) => s.selectNode);
  const clearRun = useEditor((s) => s.clearRun);
  const readOnly = useEditor((s) => s.readOnly);
  const workflowId = useEditor((s) => s.workflowId);
  const store = useWorkflowStore();

  const steps = useMemo(() => {
    const list = Object.values(run?.steps ?? {});
    return list.sort((a, b) => (a.startedAt ?? a.endedAt ?? '').localeCompare(b.startedAt ?? b.endedAt ?? ''));
  }, [run]);
  if (!run) return null;

  const selected = selectedNodeId ? run.steps[selectedNodeId] : undefined;
  const total = runDurationMs(run.run);

  return (
    <section className="run-panel" aria-label="Run details">
      <header className="run-panel-head">
        <h2>Run</h2>
        <StatusBadge status={run.run.status} />
        <span className="mono muted" title={run.run.runId}>
          {run.run.runId.slice(0, 16)}
        </span>
        {total !== undefined && <span className="muted">{durationLabel(total)}</span>}
        {run.run.error && (
          <span className="run-error" title={run.run.error.message}>
            {run.run.error.nodeName ? `${run.run.error.nodeName}: ` : ''}
            {run.run.error.message}
          </span>
        )}
        <div className="spacer" />
        <RunStopControls
          key={run.run.runId}
          runId={run.run.runId}
          status={run.run.status}
          onChanged={(info) => store.getState().mergeRunDetails(info, [])}
        />
        <Link className="btn ghost small" to={`/workflows/${workflowId}/runs`}>
          All runs
        </Link>
        {readOnly ? (
          <Link className="btn small" to={`/workflows/${workflowId}`}>
            Back to editor
          </Link>
        ) : (
          <button className="btn ghost small" type="button" onClick={clearRun} aria-label="Close run panel">
            ×
          </button>
        )}
      </header>
      <div className="run-panel-body">
        <ol className="step-list">
          {steps.length === 0 && <li className="muted step-empty">Waiting for the first step…</li>}
          {steps.map((step) => (
            <li key={step.nodeId}>
              <button
                type="button"
                className={`step-row${step.nodeId === selectedNodeId ? ' selected' : ''}`}
                onClick={() => selectNode(step.nodeId)}
              >
                <span className={`step-dot ${step.status}`} />
                <span className="step-name">{step.nodeName}</span>
                {step.attempt > 1 && <span className="muted">attempt {step.attempt}</span>}
                <span className="muted step-time">{durationLabel(step.durationMs)}</span>
              </button>
            </li>
          ))}
        </ol>
        <div className="step-detail" data-testid="step-detail">
          {!selected ? (
            <p className="muted">
              {selectedName
                ? `“${selectedName}” has not run in this run.`
                : 'Click a node or a step to see its input and output.'}
            </p>
          ) : (
            <>
              <div className="step-detail-head">
                <h3>{selected.nodeName}</h3>
                <StatusBadge status={selected.status} />
                {selected.durationMs !== undefined && (
                  <span className="muted">{durationLabel(selected.durationMs)}</span>
                )}
              </div>
              {selected.error && (
                <div className="banner error" role="alert">
                  {selected.error.code ? <strong>{selected.error.code}: </strong> : null}
                  {selected.error.message}
                </div>
              )}
              <div className="io-grid">
                <div>
                  <h4>Input</h4>
                  <JsonView value={selected.input} preview={selected.inputPreview} label="Input" />
                </div>
                <div>
                  <h4>Output</h4>
                  <JsonView value={selected.output} preview={selected.outputPreview} label="Output" />
                </div>
              </div>
            </>
          )}
        </div>
      </div>
    </section>
  );
}
