// The run panel's detail for a loop node or a node of its body: the iteration picker, then the chosen iteration's
// step (the loop's own iteration step holds the item and the result). The loop node can also show its whole-loop
// step, whose output is `{ done, failed }`.
import { useState } from 'react';
import { clampIteration, countLabel, loopTally, type LoopSummary, type RunState } from '../../lib/run-view';
import { StatusBadge } from '../ui/StatusBadge';
import { IterationPicker } from './IterationPicker';
import { useIterations } from './iteration-store';
import { StepDetail } from './StepDetail';

interface Props {
  run: RunState;
  loop: LoopSummary;
  nodeId: string;
  nodeName: string;
}

export function IterationDetail({ run, loop, nodeId, nodeName }: Props) {
  const runId = run.run.runId;
  const chosen = useIterations((s) => (s.runId === runId ? s.chosen[loop.nodeId] : undefined));
  const load = useIterations((s) => (s.runId === runId ? s.loaded[loop.nodeId] : undefined));
  const choose = useIterations((s) => s.choose);
  const reload = useIterations((s) => s.load);
  const [whole, setWhole] = useState(false);
  const isLoop = nodeId === loop.nodeId;
  const loopStep = run.steps[loop.nodeId];
  const loopName = loopStep?.nodeName ?? (isLoop ? nodeName : 'the loop');
  const k = clampIteration(chosen ?? 1, loop.iterations);
  const current = load?.iteration === k ? load : undefined;
  const step = current?.steps[nodeId];

  return (
    <>
      {isLoop && (
        <div className="step-detail-head">
          <h3>{nodeName}</h3>
          {loopStep && <StatusBadge status={loopStep.status} />}
          <span className="loop-tally" data-testid="loop-tally">
            {loopTally(loop)}
          </span>
          <div className="segmented" role="group" aria-label="Show">
            <button type="button" className={whole ? '' : 'active'} onClick={() => setWhole(false)}>
              One iteration
            </button>
            <button type="button" className={whole ? 'active' : ''} onClick={() => setWhole(true)}>
              Whole loop
            </button>
          </div>
        </div>
      )}
      {isLoop && whole ? (
        loopStep ? (
          <StepDetail step={loopStep} />
        ) : (
          <p className="muted">“{nodeName}” has not run in this run.</p>
        )
      ) : (
        <>
          <IterationPicker
            loopName={loopName}
            iteration={k}
            count={loop.iterations}
            loading={load?.status === 'loading'}
            onChange={(next) => choose(runId, loop.nodeId, next)}
          />
          {loop.iterations === 0 ? null : current?.status === 'error' ? (
            <div className="banner error" role="alert">
              Could not load iteration {countLabel(k)}: {current.error}{' '}
              <button type="button" className="btn small" onClick={() => void reload(runId, loop.nodeId, k)}>
                Try again
              </button>
            </div>
          ) : step ? (
            <StepDetail
              step={step}
              labels={isLoop ? { input: 'Item', output: 'Result' } : undefined}
              extra={<span className="muted">iteration {countLabel(k)}</span>}
            />
          ) : !current || current.status === 'loading' ? (
            <p className="muted">Loading iteration {countLabel(k)}…</p>
          ) : (
            <p className="muted">
              “{nodeName}” did not run in iteration {countLabel(k)}.
            </p>
          )}
        </>
      )}
    </>
  );
}
