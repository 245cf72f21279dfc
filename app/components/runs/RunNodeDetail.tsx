// The run page's node detail: the selected node's status, attempts, timings, error with its classification, and its
// input and output.
import type { StepInfo } from '../../../contracts/step-record';
import { isRetryable } from '../../../contracts/errors';
import { dateTime } from '../../lib/format';
import { durationLabel } from '../../lib/run-view';
import { StatusBadge } from '../ui/StatusBadge';
import { RunValueView } from './RunValueView';
import { ReusedFrom } from './StepDetail';

const field = (runId: string, nodeId: string, name: 'input' | 'output', iteration = 0) =>
  `/api/runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(nodeId)}/${name}${iteration > 0 ? `?iteration=${iteration}` : ''}`;

export function RunNodeDetail({ runId, step }: { runId: string; step: StepInfo | undefined }) {
  if (!step)
    return (
      <section className="card node-detail" aria-label="Node detail">
        <p className="muted">Select a node on the canvas or the timeline to see its input, output and errors.</p>
      </section>
    );
  const queued =
    step.scheduledAt && step.startedAt
      ? new Date(step.startedAt).getTime() - new Date(step.scheduledAt).getTime()
      : undefined;
  return (
    <section className="card node-detail" aria-label="Node detail">
      <h2>
        {step.nodeName} <StatusBadge status={step.status} /> {step.reusedFrom && <ReusedFrom runId={step.reusedFrom} />}
      </h2>
      <p className="run-meta">
        <span>
          Attempts: <strong data-testid="node-attempts">{step.attempt}</strong>
        </span>
        {step.durationMs !== undefined && <span>Ran {durationLabel(step.durationMs)}</span>}
        {queued !== undefined && queued > 0 && <span>Queued {durationLabel(queued)}</span>}
        {step.startedAt && <span>Started {dateTime(step.startedAt)}</span>}
      </p>
      {step.error && (
        <div className="banner error" role="alert">
          <strong>{step.error.message}</strong>
          {step.error.code && (
            <div className="muted">
              Error class <code>{step.error.code}</code>
              {!isRetryable(step.error.code) && ' · not retried: fix the node or its data'}
            </div>
          )}
        </div>
      )}
      <RunValueView
        label="Input"
        value={step.input}
        preview={step.inputPreview}
        download={field(runId, step.nodeId, 'input', step.iteration)}
      />
      <RunValueView
        label="Output"
        value={step.output}
        preview={step.outputPreview}
        download={field(runId, step.nodeId, 'output', step.iteration)}
      />
    </section>
  );
}
