// The bottom run panel: the run's status and relatives, its steps in order (a loop's body as of the chosen
// iteration), and the selected node's input, output and error, for a loop or body node in the chosen iteration;
// for a Wait node waiting for a resume, what it waits for and how to resume it.
import { Link } from '@remix-run/react';
import { useMemo } from 'react';
import { clampIteration, countLabel, durationLabel, loopOfNode, loopTally, runDurationMs } from '../../lib/run-view';
import { useEditor, useWorkflowStore } from '../../stores/workflow-store-context';
import { StatusBadge } from '../ui/StatusBadge';
import { IterationDetail } from './IterationDetail';
import { useIterations } from './iteration-store';
import { RunFamily, shortRunId, useRunFamily } from './RunFamily';
import { RunStopControls } from './RunStopControls';
import { StepDetail } from './StepDetail';
import { useIterationLoads } from './useIterationLoads';
import { useRunWaits } from './useRunWaits';
import { WaitingStep } from './WaitingStep';

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
  const runId = run?.run.runId;
  useIterationLoads(run);
  const loaded = useIterations((s) => (s.runId === runId ? s.loaded : undefined));
  const chosen = useIterations((s) => (s.runId === runId ? s.chosen : undefined));
  const family = useRunFamily(runId, run?.run.status);
  const waits = useRunWaits(run);

  const steps = useMemo(() => {
    const list = Object.values(run?.steps ?? {});
    return list.sort((a, b) => (a.startedAt ?? a.endedAt ?? '').localeCompare(b.startedAt ?? b.endedAt ?? ''));
  }, [run]);
  if (!run) return null;

  const selectedLoop = selectedNodeId ? loopOfNode(run.loops, selectedNodeId) : undefined;
  const selected = selectedNodeId ? run.steps[selectedNodeId] : undefined;
  const total = runDurationMs(run.run);
  /** The body steps of the iteration a loop shows, in body order. */
  const bodySteps = (loopId: string) => {
    const loop = run.loops?.[loopId];
    const load = loaded?.[loopId];
    if (!loop || !load || load.iteration !== clampIteration(chosen?.[loopId] ?? 1, loop.iterations)) return [];
    return loop.body.flatMap((id) => (load.steps[id] ? [load.steps[id]] : []));
  };

  return (
    <section className="run-panel" aria-label="Run details">
      <header className="run-panel-head">
        <h2>Run</h2>
        <StatusBadge status={run.run.status} />
        <span className="mono muted" title={run.run.runId}>
          {shortRunId(run.run.runId)}
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
        <div className="step-column">
          {family && <RunFamily family={family} />}
          <ol className="step-list">
            {steps.length === 0 && <li className="muted step-empty">Waiting for the first step…</li>}
            {steps.map((step) => {
              const loop = run.loops?.[step.nodeId];
              const body = loop ? bodySteps(step.nodeId) : [];
              return (
                <li key={step.nodeId}>
                  <button
                    type="button"
                    className={`step-row${step.nodeId === selectedNodeId ? ' selected' : ''}`}
                    onClick={() => selectNode(step.nodeId)}
                  >
                    <span className={`step-dot ${step.status}`} />
                    <span className="step-name">
                      {step.nodeName}
                      {loop && <span className="muted loop-tally">{loopTally(loop)}</span>}
                    </span>
                    {step.attempt > 1 && <span className="muted">attempt {step.attempt}</span>}
                    <span className="muted step-time">
                      {waits[step.nodeId] ? 'waiting' : durationLabel(step.durationMs)}
                    </span>
                  </button>
                  {body.length > 0 && (
                    <ol className="step-list-body" aria-label={`${step.nodeName}, iteration ${body[0].iteration}`}>
                      {body.map((b) => (
                        <li key={b.nodeId}>
                          <button
                            type="button"
                            className={`step-row${b.nodeId === selectedNodeId ? ' selected' : ''}`}
                            onClick={() => selectNode(b.nodeId)}
                          >
                            <span className={`step-dot ${b.status}`} />
                            <span className="step-name">{b.nodeName}</span>
                            <span className="muted">#{countLabel(b.iteration ?? 0)}</span>
                            <span className="muted step-time">{durationLabel(b.durationMs)}</span>
                          </button>
                        </li>
                      ))}
                    </ol>
                  )}
                </li>
              );
            })}
          </ol>
        </div>
        <div className="step-detail" data-testid="step-detail">
          {selectedLoop && selectedNodeId ? (
            <IterationDetail
              run={run}
              loop={selectedLoop}
              nodeId={selectedNodeId}
              nodeName={selectedName ?? selected?.nodeName ?? selectedNodeId}
            />
          ) : selected ? (
            <StepDetail step={selected}>
              {waits[selected.nodeId] && (
                <WaitingStep key={selected.nodeId} runId={run.run.runId} wait={waits[selected.nodeId]} />
              )}
            </StepDetail>
          ) : (
            <p className="muted">
              {selectedName
                ? `“${selectedName}” has not run in this run.`
                : 'Click a node or a step to see its input and output.'}
            </p>
          )}
        </div>
      </div>
    </section>
  );
}
