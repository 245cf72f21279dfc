// One step's name, status, duration, error, input and output: the right side of the run panel. An LLM or Agent
// step shows its model and tool calls too.
import { Link } from '@remix-run/react';
import { useMemo, type ReactNode } from 'react';
import type { StepInfo } from '../../../contracts/step-record';
import { durationLabel } from '../../lib/run-view';
import { useEditor } from '../../stores/workflow-store-context';
import { StatusBadge } from '../ui/StatusBadge';
import { AGENT_NODE_TYPES, StepAgentCalls } from './AgentCalls';
import { BrowserFilmstrip } from './BrowserFilmstrip';
import { BROWSER_NODE_TYPE, filmFileIds } from './browser-filmstrip-state';
import { FileValues } from './FileValues';
import { JsonView } from './JsonView';

interface Props {
  step: StepInfo;
  /** Shown after the status: a loop's tally, the iteration. */
  extra?: ReactNode;
  /** A loop's iteration reads better as its item and its result. */
  labels?: { input: string; output: string };
  /** Shown between the error and the values: what a waiting Wait node waits for. */
  children?: ReactNode;
}

export function StepDetail({ step, extra, labels = { input: 'Input', output: 'Output' }, children }: Props) {
  const runId = useEditor((s) => s.run?.run.runId);
  // A step learns its type from the REST refresh; the drawn node knows it from the start.
  const nodeType = useEditor((s) => s.nodes.find((n) => n.id === step.nodeId)?.data.type);
  const agentStep = AGENT_NODE_TYPES.has(step.type ?? nodeType ?? '');
  const browserStep = (step.type ?? nodeType) === BROWSER_NODE_TYPE;
  // The filmstrip shows a Browser step's screenshots and trace: the output's file cards would repeat them.
  const inFilm = useMemo(() => (browserStep ? filmFileIds(step.output) : undefined), [browserStep, step.output]);
  return (
    <>
      <div className="step-detail-head">
        <h3>{step.nodeName}</h3>
        <StatusBadge status={step.status} />
        {step.durationMs !== undefined && <span className="muted">{durationLabel(step.durationMs)}</span>}
        {step.reusedFrom && <ReusedFrom runId={step.reusedFrom} />}
        {extra}
      </div>
      {step.error && (
        <div className="banner error" role="alert">
          {step.error.code ? <strong>{step.error.code}: </strong> : null}
          {step.error.message}
        </div>
      )}
      {children}
      {browserStep && <BrowserFilmstrip step={step} />}
      {agentStep && runId && <StepAgentCalls runId={runId} step={step} />}
      <div className="io-grid">
        <div>
          <h4>{labels.input}</h4>
          <JsonView value={step.input} preview={step.inputPreview} label={labels.input} />
        </div>
        <div>
          <h4>{labels.output}</h4>
          <FileValues value={step.output} shownElsewhere={inFilm} />
          <JsonView value={step.output} preview={step.outputPreview} label={labels.output} />
        </div>
      </div>
    </>
  );
}

/** A step a retry took over from the run it retries: the node did not run in this run. */
export function ReusedFrom({ runId }: { runId: string }) {
  return (
    <span className="badge reused" title="A retry took this result from the run it retries; the node did not run">
      Reused from run{' '}
      <Link to={`/runs/${encodeURIComponent(runId)}`} className="mono">
        {runId.slice(0, 16)}
      </Link>
    </span>
  );
}
